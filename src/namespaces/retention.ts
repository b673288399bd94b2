// A namespace's retention as people write it (72h, 7d, 30d): for --retention and namespaces.yaml.
import { formatDuration, MAX_SPAN_MS, parsePositiveDuration } from '../config/duration.js';
import { MIN_RETENTION_MS } from '../config/schema.js';

/** Milliseconds of at least Temporal's minimum, in whole seconds; an Error naming the problem otherwise. */
export function parseRetention(text: string): number {
  const ms = parsePositiveDuration(text, '72h, 7d or 30d', MAX_SPAN_MS);
  if (ms < MIN_RETENTION_MS)
    throw new Error(`${text} is shorter than Temporal's minimum retention of ${formatDuration(MIN_RETENTION_MS)}.`);
  if (ms % 1000 !== 0) throw new Error(`${text} is not a whole number of seconds.`);
  return ms;
}
