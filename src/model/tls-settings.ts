// TLS settings derived from the config: which files, which name to verify, what is missing.
// Pure (no file access), so the stack, the CLI and the probes share it.
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { containerName } from './names-and-endpoints.js';
import { CERT_FILES, CERTS_SUBDIR, type ClusterConfig, type ConfigKey } from '../config/schema.js';

/** The config key of each of the server's TLS files, by role. */
export const SERVER_TLS_KEYS = {
  cert: 'TEMPORAL_TLS_SERVER_CERT_PATH',
  key: 'TEMPORAL_TLS_SERVER_KEY_PATH',
  ca: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  clientCa: 'TEMPORAL_TLS_CLIENT_CA_CERT_PATH',
} as const satisfies Record<string, ConfigKey>;

/** The config key of each of a client's TLS files, by role (the CA is the one that signed the server's). */
export const CLIENT_TLS_KEYS = {
  ca: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  cert: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  key: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
} as const satisfies Record<string, ConfigKey>;

export type TlsPathKey =
  | (typeof SERVER_TLS_KEYS)[keyof typeof SERVER_TLS_KEYS]
  | (typeof CLIENT_TLS_KEYS)[keyof typeof CLIENT_TLS_KEYS]
  | 'POSTGRES_TLS_CA_CERT_PATH';

/** Keys that hold a file path; relative ones are resolved once, when the config is loaded. */
export const TLS_PATH_KEYS: readonly TlsPathKey[] = [
  ...new Set([...Object.values(CLIENT_TLS_KEYS), ...Object.values(SERVER_TLS_KEYS)]),
  'POSTGRES_TLS_CA_CERT_PATH',
];

/** The config's path of each role of a key map: where a process on the host reads the files. */
export function pathsOf<R extends string>(keys: Readonly<Record<R, TlsPathKey>>, c: ClusterConfig): Record<R, string> {
  return Object.fromEntries(Object.entries<TlsPathKey>(keys).map(([role, key]) => [role, c[key]])) as Record<R, string>;
}

export const tlsOn = (c: Pick<ClusterConfig, 'TEMPORAL_TLS'>): boolean => c.TEMPORAL_TLS !== 'off';
/** Mutual TLS: clients present a certificate the client CA signed. */
export const mtlsOn = (c: Pick<ClusterConfig, 'TEMPORAL_TLS'>): boolean => c.TEMPORAL_TLS === 'mtls';

/**
 * The config with relative TLS paths made absolute: a path from the env file or a default (under
 * TEMPORAL_STATE_DIR) against the project directory, one from a flag or the environment against
 * the working directory, as a user typing it expects.
 */
export function withTlsPathsResolved(
  c: ClusterConfig,
  origins: Readonly<Record<ConfigKey, string>>,
  projectDir: string,
  cwd: string,
): ClusterConfig {
  const resolved: Partial<Record<TlsPathKey, string>> = {};
  for (const k of TLS_PATH_KEYS) {
    const path = c[k];
    if (path === '' || isAbsolute(path)) continue;
    // A defaulted client CA is the server CA's text: it resolves as that key's value does.
    const origin =
      k === 'TEMPORAL_TLS_CLIENT_CA_CERT_PATH' && origins[k] === 'default'
        ? origins.TEMPORAL_TLS_SERVER_CA_CERT_PATH
        : origins[k];
    const base = origin === 'flag' || origin === 'environment' ? cwd : projectDir;
    resolved[k] = resolve(base, path);
  }
  return { ...c, ...resolved };
}

/**
 * The name clients verify in the server certificate: TEMPORAL_TLS_SERVER_NAME, else (TLS on) the
 * server container's name, which `certs create` puts in the certificate and which is right from the
 * host, from the other containers and between the server's roles alike. Empty: the address's host.
 */
export function tlsServerName(c: ClusterConfig): string {
  if (c.TEMPORAL_TLS_SERVER_NAME !== '') return c.TEMPORAL_TLS_SERVER_NAME;
  return tlsOn(c) ? containerName(c, 'server') : '';
}

/** `KEY: message` problems of the TLS keys together (parseConfig's cross-key rules). */
export function tlsProblems(c: ClusterConfig, where: (k: ConfigKey) => string): string[] {
  if (!tlsOn(c)) return [];
  const required: ConfigKey[] = ['TEMPORAL_TLS_SERVER_CERT_PATH', 'TEMPORAL_TLS_SERVER_KEY_PATH'];
  if (mtlsOn(c)) required.push('TEMPORAL_TLS_CLIENT_CA_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_PATH');
  return required
    .filter((k) => c[k] === '')
    .map(
      (k) =>
        `${k}: empty, but TEMPORAL_TLS=${c.TEMPORAL_TLS} needs it${where(k)}; leave it at its default (\`temporal-ctl certs create\` writes the file) or name a PEM file`,
    );
}

/**
 * Why a TLS file named by a key cannot be read, and the fix: `certs create` when the path is one of
 * the files it writes (TLS switched on before any were made), else a readable PEM file.
 */
export function unreadableTlsFile(key: string, path: string, error: unknown): string {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const fix = writtenByCertsCreate(path)
    ? 'run `temporal-ctl certs create`, which writes it'
    : 'point it at a readable PEM file';
  return `${key}: cannot read "${path}" (${reason}); ${fix}`;
}

/** Whether a path is one of the files `certs create` writes (by its directory and file name). */
export const writtenByCertsCreate = (path: string): boolean =>
  basename(dirname(path)) === CERTS_SUBDIR && (Object.values(CERT_FILES) as string[]).includes(basename(path));
