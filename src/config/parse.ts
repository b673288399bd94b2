// Pure config parsing: sources in, a typed config or every problem at once out.
import { publishedPorts } from '../model/derive.js';
import { expectedSchema, serverMinor, unknownServerVersion } from '../model/server-schemas.js';
import { uiAuthProblems } from './ui-auth.js';
import { tlsProblems } from '../tls/config.js';
import { schema, type ClusterConfig, type ConfigKey, type Profile, type KeyDef } from './schema.js';
import { exposureProblems, exposureWarnings } from './exposure.js';
import {
  concealable,
  fileSecretValue,
  fileVariant,
  isSecretKey,
  redact,
  SECRET_KEYS,
  secretOfFileVariant,
} from './secrets.js';

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

/** Where a value came from: 'flag', 'environment', the env file path, or 'default'. */
export type Origins = Record<ConfigKey, string>;

export type ParseResult =
  /** warnings: `KEY: message` lines about values that still work (deprecated key names). */
  { ok: true; config: ClusterConfig; origins: Origins; warnings: string[] } | { ok: false; errors: string[] };

const KEYS = Object.keys(schema) as ConfigKey[];
const isKey = (k: string): k is ConfigKey => k in schema;
/** Former key names (schema `aliases`) → the key they feed. */
const ALIASES = new Map<string, ConfigKey>(
  KEYS.flatMap((k) => ((schema[k] as KeyDef<unknown>).aliases ?? []).map((a) => [a, k] as const)),
);

export function parseConfig(sources: ConfigSources): ParseResult {
  const { errors, warnings, env, file, secrets } = withAliasesResolved(sources);
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
  if (errors.length === 0) warnings.push(...exposureWarnings(config as ClusterConfig, origins));
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
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    errors.push(`${fileVariant(k)}: cannot read ${path} (${why}); name a readable file${where(origin)}`);
    return undefined;
  }
}

/**
 * Keys in the wrong file: unknown keys in temporal.env, non-secret keys in the secrets file (errors),
 * and a secret in temporal.env (a warning: it kept working before the secrets file existed).
 */
function keyPlacement(sources: ConfigSources): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const k of Object.keys(sources.file?.values ?? {})) {
    if (!isKey(k) && !ALIASES.has(k) && !secretOfFileVariant(k))
      errors.push(`${k}: unknown key${suggest(k)} (set in ${sources.file!.path})`);
  }
  for (const k of Object.keys(sources.secrets?.values ?? {})) {
    if (isSecretKey(k) || secretOfFileVariant(k)) continue;
    errors.push(
      isKey(k) || ALIASES.has(k)
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

/**
 * The environment and the file with former key names moved to their keys (each source on its own,
 * so precedence stays flag > environment > file), a warning per former name, and an error when a
 * source sets both names to different values.
 */
function withAliasesResolved(sources: ConfigSources) {
  const errors: string[] = [];
  const warnings: string[] = [];
  const resolve = (values: Record<string, string | undefined>, origin: string): Record<string, string | undefined> => {
    const out = { ...values };
    for (const [alias, k] of ALIASES) {
      const value = values[alias];
      if (value === undefined) continue;
      if (values[k] !== undefined && values[k] !== value) {
        errors.push(
          `${alias}: former name of ${k}, which is set too, to a different value; remove ${alias}${where(origin)}`,
        );
      } else {
        warnings.push(`${alias}: deprecated name; rename it to ${k}${where(origin)}`);
        out[k] = value;
      }
    }
    return out;
  };
  const env = resolve(sources.env ?? {}, 'environment');
  const file = sources.file && { path: sources.file.path, values: resolve(sources.file.values, sources.file.path) };
  const secrets = sources.secrets && {
    path: sources.secrets.path,
    values: resolve(sources.secrets.values, sources.secrets.path),
  };
  return { errors, warnings, env, file, secrets };
}

function defaultText(def: KeyDef<unknown>, profile: Profile, raw: (key: string) => string): string {
  const d = def.default;
  if (typeof d === 'string') return d;
  if (typeof d === 'function') return d(raw);
  return d[profile];
}

export function where(origin: string | undefined): string {
  if (!origin || origin === 'default') return ' (the default)';
  if (origin === 'flag') return ' (set by a flag)';
  if (origin === 'environment') return ' (set in the environment)';
  return ` (set in ${origin})`;
}

/** Rules that span keys: ports in use twice, secrets the production profile requires, known releases. */
function crossChecks(c: ClusterConfig, origins: Origins): string[] {
  const errors: string[] = [];
  // Without its row in the schema table, status could not tell a stale schema from a current one.
  if (!expectedSchema(c.TEMPORAL_VERSION)) {
    errors.push(
      `TEMPORAL_VERSION: ${unknownServerVersion(c.TEMPORAL_VERSION)}; use a release of a known minor, or a temporal-ctl release that knows ${serverMinor(c.TEMPORAL_VERSION) ?? c.TEMPORAL_VERSION}${where(origins.TEMPORAL_VERSION)}`,
    );
  }
  const seen = new Map<number, ConfigKey>();
  // Keys left at their default keep the port: the message names the key the user set.
  const ports = publishedPorts(c).sort(
    (a, b) => Number(origins[a.key] !== 'default') - Number(origins[b.key] !== 'default'),
  );
  for (const { key: k, host: p } of ports) {
    const first = seen.get(p);
    if (first)
      errors.push(`${k}: port ${p} is already used by ${first}; give each service its own port${where(origins[k])}`);
    else seen.set(p, k);
  }
  if (c.TEMPORAL_PROFILE === 'production' && c.POSTGRES_PASSWORD === '') {
    errors.push(
      `POSTGRES_PASSWORD: must not be empty in the production profile; set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or POSTGRES_PASSWORD_FILE${where(origins.POSTGRES_PASSWORD)}`,
    );
  }
  errors.push(...exposureProblems(c, origins));
  errors.push(...serverPasswordProblems(c, origins));
  errors.push(...uiAuthProblems(c, (k) => where(origins[k])));
  if (
    c.TEMPORAL_PROFILE === 'production' &&
    c.TEMPORAL_VISIBILITY === 'elasticsearch' &&
    c.ELASTICSEARCH_PASSWORD === ''
  ) {
    errors.push(
      `ELASTICSEARCH_PASSWORD: must not be empty in the production profile (Elasticsearch security is on); set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or ELASTICSEARCH_PASSWORD_FILE, or use TEMPORAL_VISIBILITY=postgres${where(origins.ELASTICSEARCH_PASSWORD)}`,
    );
  }
  // The two keys are set independently (flags, environment, file): a lone one is caught here, before any connection.
  if ((c.TEMPORAL_TLS_CLIENT_CERT_PATH === '') !== (c.TEMPORAL_TLS_CLIENT_KEY_PATH === '')) {
    const [missing, given] =
      c.TEMPORAL_TLS_CLIENT_CERT_PATH === ''
        ? (['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH'] as const)
        : (['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_CERT_PATH'] as const);
    errors.push(
      `${missing}: empty, but mTLS needs it with ${given}${where(origins[given])}; set both (--tls-cert-path and --tls-key-path) or neither`,
    );
  }
  errors.push(...tlsProblems(c, (k) => where(origins[k])));
  return errors;
}

function suggest(unknown: string): string {
  const best = KEYS.map((k) => [k, distance(unknown, k)] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= 3 ? `; did you mean ${best[0]}?` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/**
 * Characters Temporal's server (1.31.2, and still 1.32.2) cannot take in a password. Its built-in config template puts
 * POSTGRES_PWD and ES_PWD between YAML double quotes without escaping them, so a double quote or a
 * backslash breaks the config (the server does not start) or changes the password (`\t`), and a
 * line break folds into a space; its PostgreSQL plugin then writes the password into a connection
 * URL with Go's url.QueryEscape, which turns a space into "+".
 */
const UNUSABLE_IN_PASSWORD: Readonly<Record<'POSTGRES_PASSWORD' | 'ELASTICSEARCH_PASSWORD', RegExp>> = {
  POSTGRES_PASSWORD: /[ "\\\r\n]/,
  ELASTICSEARCH_PASSWORD: /["\\\r\n]/,
};

function serverPasswordProblems(c: ClusterConfig, origins: Origins): string[] {
  return (['POSTGRES_PASSWORD', 'ELASTICSEARCH_PASSWORD'] as const)
    .filter((key) => UNUSABLE_IN_PASSWORD[key].test(c[key]))
    .map(
      (key) =>
        `${key}: must not contain ${key === 'POSTGRES_PASSWORD' ? 'a space, ' : ''}a double quote, a backslash or a line break, which Temporal's server cannot take in a password (its config template and connection URL do not escape them); choose another password${where(origins[key])}`,
    );
}
