// One way to open a gRPC connection to the frontend from the typed config:
// address, TLS and API key as Temporal's CLI takes them. Loads @temporalio/client lazily.
import { readFile } from 'node:fs/promises';
import type { Connection, ConnectionOptions } from '@temporalio/client';
import type { ClusterConfig } from '../config/schema.js';

export async function connectionOptions(c: ClusterConfig, timeoutMs: number): Promise<ConnectionOptions> {
  const options: ConnectionOptions = { address: c.TEMPORAL_ADDRESS, connectTimeout: timeoutMs };
  const mtls = c.TEMPORAL_TLS_CERT !== '';
  if (mtls || c.TEMPORAL_TLS_CA !== '' || c.TEMPORAL_API_KEY !== '' || c.TEMPORAL_TLS_SERVER_NAME !== '') {
    options.tls = {
      serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME || undefined,
      serverRootCACertificate: c.TEMPORAL_TLS_CA ? await readFile(c.TEMPORAL_TLS_CA) : undefined,
      clientCertPair: mtls ? { crt: await readFile(c.TEMPORAL_TLS_CERT), key: await readFile(c.TEMPORAL_TLS_KEY) } : undefined,
    };
  }
  if (c.TEMPORAL_API_KEY !== '') options.apiKey = c.TEMPORAL_API_KEY;
  return options;
}

/** Connects to the frontend; the caller closes the connection. */
export async function connect(c: ClusterConfig, timeoutMs = 5_000): Promise<Connection> {
  const { Connection } = await import('@temporalio/client');
  return Connection.connect(await connectionOptions(c, timeoutMs));
}
