// Where a config value came from, and how messages name it.
import type { ConfigKey } from './schema.js';

/** Where a value came from: 'flag', 'environment', the env file path, or 'default'. */
export type Origins = Record<ConfigKey, string>;

/** " (set in temporal.env)" and the like, appended to a message about the key. */
export function where(origin: string | undefined): string {
  if (!origin || origin === 'default') return ' (the default)';
  if (origin === 'flag') return ' (set by a flag)';
  if (origin === 'environment') return ' (set in the environment)';
  return ` (set in ${origin})`;
}
