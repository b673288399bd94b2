// One way to open a gRPC connection to the frontend from the typed config:
// address, TLS and API key as Temporal's CLI takes them. Loads @temporalio/client lazily.
import { readFile } from 'node:fs/promises';
import type { Connection, ConnectionOptions } from '@temporalio/client';
import type { ClusterConfig, ConfigKey } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { tlsServerName, unreadableTlsFile } from '../model/tls-settings.js';
import { temporalError, type ErrorContext } from './grpc-errors.js';

/** Reads a TLS file named by a config key; an unreadable file is a config error naming the key. */
async function readKeyFile(c: ClusterConfig, key: ConfigKey & `TEMPORAL_TLS_${string}`): Promise<Buffer> {
  const path = c[key] as string;
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError([unreadableTlsFile(key, path, error)], 'TLS settings');
  }
}

export async function connectionOptions(c: ClusterConfig, timeoutMs: number): Promise<ConnectionOptions> {
  const options: ConnectionOptions = { address: c.TEMPORAL_ADDRESS, connectTimeout: timeoutMs };
  // parseConfig has already refused a certificate without its key (or the reverse). With
  // TEMPORAL_TLS on, the path keys default to the files `certs create` writes.
  const mtls = c.TEMPORAL_TLS_CLIENT_CERT_PATH !== '';
  if (mtls || c.TEMPORAL_TLS_SERVER_CA_CERT_PATH !== '' || c.TEMPORAL_API_KEY !== '' || tlsServerName(c) !== '') {
    options.tls = {
      serverNameOverride: tlsServerName(c) || undefined,
      serverRootCACertificate: c.TEMPORAL_TLS_SERVER_CA_CERT_PATH
        ? await readKeyFile(c, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH')
        : undefined,
      clientCertPair: mtls
        ? {
            crt: await readKeyFile(c, 'TEMPORAL_TLS_CLIENT_CERT_PATH'),
            key: await readKeyFile(c, 'TEMPORAL_TLS_CLIENT_KEY_PATH'),
          }
        : undefined,
    };
  }
  if (c.TEMPORAL_API_KEY !== '') options.apiKey = c.TEMPORAL_API_KEY;
  return options;
}

/** Connects to the frontend; the caller closes the connection. Failures are mapped (exit 1, status hint). */
export async function connect(c: ClusterConfig, timeoutMs = 5_000): Promise<Connection> {
  const options = await connectionOptions(c, timeoutMs);
  const { Connection } = await import('@temporalio/client');
  try {
    return await Connection.connect(options);
  } catch (error) {
    throw temporalError(error, { action: 'connect', address: c.TEMPORAL_ADDRESS });
  }
}

/**
 * Runs fn with a connection that is closed afterwards; every gRPC call inside gets
 * a deadline and any gRPC failure is mapped to one sentence (src/temporal/grpc-errors.ts).
 */
export async function withConnection<T>(
  c: ClusterConfig,
  about: Omit<ErrorContext, 'address'>,
  fn: (conn: Connection) => Promise<T>,
  callTimeoutMs = 10_000,
): Promise<T> {
  const conn = await connect(c);
  try {
    return await conn.withDeadline(Date.now() + callTimeoutMs, () => fn(conn));
  } catch (error) {
    throw temporalError(error, { ...about, address: c.TEMPORAL_ADDRESS });
  } finally {
    await conn.close().catch(() => undefined);
  }
}
