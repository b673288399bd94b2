// Pure config parsing: sources in, a typed config or every problem at once out.
import { closest, distance } from 'fastest-levenshtein';
import { crossChecks } from './cross-checks.js';
import { exposureWarnings } from './exposure.js';
import { shardSpreadWarnings } from './shard-spread.js';
import { where, type Origins } from '../config/origins.js';
import { schema, type ClusterConfig, type ConfigKey, type Profile, type KeyDef } from '../config/schema.js';
import {
  concealable,
  fileSecretValue,
  fileVariant,
  isSecretKey,
  redact,
  SECRET_KEYS,
  secretOfFileVariant,
} from '../config/secrets.js';

export interface ConfigSources {
  /** Values from flags, highest precedence. */
  flags?: Partial<Record<ConfigKey, string>>;
  /** The process environment; unknown keys are ignored. */
  env?: Record<string, string | undefined>;
  /** temporal.env as read from disk; unknown keys here are errors (likely typos). */
  file?: { path: string; values: Record<string, string> };
  /**
   * The untracked secrets file beside temporal.env (secret keys and KEY_FILE only); it wins over
   * temporal.env. `values` is empty when it does not exist; its path is where messages send secrets.
   */
  secrets?: { path: string; values: Record<string, string> };
  /** Reads the file a KEY_FILE names. @default - a KEY_FILE is reported as unreadable */
  readFile?: (path: string) => string;
}

export type ParseResult =
  /** warnings: `KEY: message` lines about values that work but should change (a secret in temporal.env, an exposed port). */
  { ok: true; config: ClusterConfig; origins: Origins; warnings: string[] } | { ok: false; errors: string[] };

const KEYS = Object.keys(schema) as ConfigKey[];
const isKey = (k: string): k is ConfigKey => k in schema;

export function parseConfig(sources: ConfigSources): ParseResult {
  const { env = {}, file, secrets } = sources;
  const errors: string[] = [];
  const warnings: string[] = [];
  const origins = {} as Origins;
  const rawCache = new Map<ConfigKey, string>();

  const given = (k: string): [string, string] | undefined => {
    const flag = sources.flags?.[k as ConfigKey];
    if (flag !== undefined) return [flag, 'flag'];
    if (env[k] !== undefined) return [env[k], 'environment'];
    if (secrets?.values[k] !== undefined) return [secrets.values[k], secrets.path];
    if (file?.values[k] !== undefined) return [file.values[k], file.path];
    return undefined;
  };
  const explicit = (k: ConfigKey): [string, string] | undefined => {
    const plain = given(k);
    const named = isSecretKey(k) ? given(fileVariant(k)) : undefined;
    if (!named) return plain;
    if (plain) {
      errors.push(`${k}: set${where(plain[1])} and as ${fileVariant(k)}${where(named[1])}; keep one of them`);
      return plain;
    }
    return readFileVariant(k, named, sources.readFile, errors);
  };

  const raw = (k: string): string => {
    if (!isKey(k)) throw new Error(`config default refers to unknown key ${k}`);
    const cached = rawCache.get(k);
    if (cached !== undefined) return cached;
    const given = explicit(k);
    const value = given
      ? given[0].trim()
      : defaultText(schema[k], k === 'TEMPORAL_PROFILE' ? 'development' : profile(), raw);
    origins[k] = given ? given[1] : 'default';
    rawCache.set(k, value);
    return value;
  };
  const profile = (): Profile => {
    const p = raw('TEMPORAL_PROFILE');
    return p === 'production' ? 'production' : 'development';
  };

  const placed = keyPlacement(sources);
  errors.push(...placed.errors);
  warnings.push(...placed.warnings);

  const config: Record<string, unknown> = {};
  const derivedFailures: string[] = [];
  for (const k of KEYS) {
    const def = schema[k] as KeyDef<unknown>;
    const parsed = def.parse(raw(k));
    if (!('error' in parsed)) config[k] = parsed.value;
    // A computed default that fails mostly echoes an error of the key it derives from: shown alone only.
    else if (origins[k] === 'default' && typeof def.default === 'function')
      derivedFailures.push(`${k}: ${parsed.error}${where(origins[k])}`);
    else errors.push(`${k}: ${parsed.error}${where(origins[k])}`);
  }
  if (errors.length === 0) errors.push(...derivedFailures);
  if (errors.length === 0) errors.push(...crossChecks(config as ClusterConfig, origins));
  if (errors.length === 0)
    warnings.push(
      ...exposureWarnings(config as ClusterConfig, origins),
      ...shardSpreadWarnings(config as ClusterConfig, origins),
    );
  // A message may quote a value; whatever a secret key was given is masked in every line.
  const hidden = concealable(SECRET_KEYS.map((k) => rawCache.get(k) ?? ''));
  const masked = (lines: string[]) => lines.map((l) => redact(l, hidden));
  return errors.length > 0
    ? { ok: false, errors: masked(errors) }
    : { ok: true, config: config as ClusterConfig, origins, warnings: masked(warnings) };
}

/** KEY_FILE's value and origin ([path, where it was set]), or an error when the file cannot be read. */
function readFileVariant(
  k: ConfigKey,
  [path, origin]: [string, string],
  readFile: ConfigSources['readFile'],
  errors: string[],
): [string, string] | undefined {
  try {
    if (!readFile) throw new Error('no file reader');
    return [fileSecretValue(readFile(path)), `${path} via ${fileVariant(k)}`];
  } catch (e) {
    const kind = (e as { kind?: string }).kind;
    const why = kind ? `it is ${kind}` : ((e as NodeJS.ErrnoException).code ?? (e as Error).message);
    errors.push(`${fileVariant(k)}: cannot read ${path} (${why}); name a readable file${where(origin)}`);
    return undefined;
  }
}

/**
 * Keys in the wrong file: unknown keys in temporal.env, non-secret keys in the secrets file (errors),
 * and a secret in temporal.env (a warning, as README's Secrets section documents: the value works, but
 * temporal.env is meant to be committed).
 */
function keyPlacement(sources: ConfigSources): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const k of Object.keys(sources.file?.values ?? {})) {
    if (!isKey(k) && !secretOfFileVariant(k))
      errors.push(`${k}: unknown key${suggest(k)} (set in ${sources.file!.path})`);
  }
  for (const k of Object.keys(sources.secrets?.values ?? {})) {
    if (isSecretKey(k) || secretOfFileVariant(k)) continue;
    errors.push(
      isKey(k)
        ? `${k}: not a secret; set it in temporal.env, not in ${sources.secrets!.path}`
        : `${k}: unknown key${suggest(k)} (set in ${sources.secrets!.path})`,
    );
  }
  for (const k of SECRET_KEYS) {
    const value = sources.file?.values[k];
    if (value === undefined || concealable([value]).length === 0) continue; // empty, or a published default
    const to = sources.secrets ? `${sources.secrets.path} (untracked)` : 'the secrets file';
    warnings.push(
      `${k}: a secret in ${sources.file!.path}, which is meant to be committed; move it to ${to}, the environment or ${fileVariant(k)}`,
    );
  }
  return { errors, warnings };
}

function defaultText(def: KeyDef<unknown>, profile: Profile, raw: (key: string) => string): string {
  const d = def.default;
  if (typeof d === 'string') return d;
  if (typeof d === 'function') return d(raw);
  return d[profile];
}

function suggest(unknown: string): string {
  const best = closest(unknown, KEYS);
  return distance(unknown, best) <= 3 ? `; did you mean ${best}?` : '';
}
