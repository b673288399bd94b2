// The TLS files the stack uploads, read at synth time from the config's paths. Uploaded rather than
// bind-mounted, as the dynamic config is: a bind mount needs the files on the Docker host, which
// breaks DOCKER_HOST=ssh://. A replaced certificate shows in the plan and recreates the container.
import { existsSync, readFileSync } from 'node:fs';
import type { ClusterConfig, ConfigKey } from '../src/config/schema.js';
import { ConfigError } from '../src/errors.js';
import {
  POSTGRES_CA_CONTAINER_FILE,
  TLS_CONTAINER_FILES,
  tlsFilesOnHost,
  type TlsFiles,
} from '../src/model/temporal-env.js';
import { externalPostgres } from '../src/model/postgres-layout.js';
import { CLIENT_TLS_CONTAINER_FILES, clientTlsSources } from '../src/tls/client-tls-env.js';
import { CLIENT_TLS_KEYS, mtlsOn, SERVER_TLS_KEYS, tlsOn, unreadableTlsFile } from '../src/model/tls-settings.js';
import type { Upload } from './constructs/service-container.js';

/** The file's text; a missing or unreadable file (EACCES) is a config error naming the key, never a crash. */
function read(path: string, key: ConfigKey): string {
  if (!existsSync(path))
    throw new ConfigError(
      [`${key}: ${path} does not exist; run \`temporal-ctl certs create\`, or point ${key} at a PEM file`],
      path,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([unreadableTlsFile(key, path, error)], 'TLS settings');
  }
}

/** The server's certificate, key and CAs at TLS_CONTAINER_FILES; none with TEMPORAL_TLS=off. */
export function serverTlsUploads(c: ClusterConfig): Upload[] {
  if (!tlsOn(c)) return [];
  const host = tlsFilesOnHost(c);
  const roles = (Object.keys(SERVER_TLS_KEYS) as (keyof TlsFiles)[]).filter((r) => r !== 'clientCa' || mtlsOn(c));
  return roles.map((r) => ({
    path: TLS_CONTAINER_FILES[r],
    content: read(host[r], SERVER_TLS_KEYS[r]),
    sensitive: r === 'key',
  }));
}

/** A client container's CA (and client certificate and key with mtls) at CLIENT_TLS_CONTAINER_FILES. */
export function clientTlsUploads(c: ClusterConfig): Upload[] {
  return clientTlsSources(c).map(({ key, path }) => ({
    path: CLIENT_TLS_CONTAINER_FILES[key],
    content: read(path, CLIENT_TLS_KEYS[key]),
    sensitive: key === 'key',
  }));
}

/** The CA of an external PostgreSQL's certificate at POSTGRES_CA_CONTAINER_FILE (POSTGRES_TLS=verify-full). */
export function postgresTlsUploads(c: ClusterConfig): Upload[] {
  if (!externalPostgres(c) || c.POSTGRES_TLS !== 'verify-full') return [];
  return [
    {
      path: POSTGRES_CA_CONTAINER_FILE,
      content: read(c.POSTGRES_TLS_CA_CERT_PATH, 'POSTGRES_TLS_CA_CERT_PATH'),
    },
  ];
}
