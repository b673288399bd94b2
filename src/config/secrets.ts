// Secret keys, derived from the schema's `secret` flag (the one list): where they may be set (the
// untracked secrets file, the environment, a KEY_FILE, Docker-secrets style) and how their values are
// kept out of every line temporal-ctl prints.
import { basename, dirname, join } from 'node:path';
import { schema, type ConfigKey, type KeyDef } from './schema.js';

/** Keys whose values are never printed. */
export const SECRET_KEYS = (Object.keys(schema) as ConfigKey[]).filter((k) => (schema[k] as KeyDef<unknown>).secret);

export const isSecretKey = (k: string): boolean => (SECRET_KEYS as readonly string[]).includes(k);

/** The Docker-secrets variant of a secret key: its value is the content of the file it names. */
export const fileVariant = (k: ConfigKey): string => `${k}_FILE`;

/** The secret key a KEY_FILE name feeds, if it is one. */
export const secretOfFileVariant = (name: string): ConfigKey | undefined =>
  SECRET_KEYS.find((k) => fileVariant(k) === name);

/** The secrets file beside an env file: temporal.env → temporal.secrets.env, prod.env → prod.secrets.env. */
export function secretsFileFor(envFile: string): string {
  return join(dirname(envFile), `${basename(envFile).replace(/\.env$/, '')}.secrets.env`);
}

/** The file content of a KEY_FILE: trailing line breaks dropped, as the official images' entrypoints do. */
export const fileSecretValue = (content: string): string => content.replace(/(\r?\n)+$/, '');

/**
 * Shorter values are not masked: masking a 3-letter string would mangle unrelated words in every
 * line, and such a value protects nothing anyway.
 */
const MIN_CONCEALED = 4;

/**
 * The values to mask for these secret values: each as given and as JSON escapes it (terraform's
 * -json output). Values equal to a key's published default (development's `temporal`) are not secrets.
 */
export function concealable(values: Iterable<string>): string[] {
  const defaults = new Set(
    SECRET_KEYS.flatMap((k) => {
      const d = schema[k].default as unknown;
      return typeof d === 'string' ? [d] : typeof d === 'object' && d ? Object.values(d as object) : [];
    }),
  );
  const out = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_CONCEALED || defaults.has(v)) continue;
    out.add(v);
    out.add(JSON.stringify(v).slice(1, -1));
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

export const MASK = '********';

/** The text with every occurrence of each value replaced by the mask (an empty value masks nothing). */
export function redact(text: string, values: readonly string[]): string {
  let result = text;
  for (const v of values) if (v && result.includes(v)) result = result.split(v).join(MASK);
  return result;
}
