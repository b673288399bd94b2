// Temporal server: the frontend's gRPC health service (NOT_SERVING until its
// membership is ready), GetSystemInfo for the version, and the SQL schema
// versions, read in parallel whenever PostgreSQL answers.
import type { ClusterConfig } from '../config/schema.js';
import type { Connection } from '@temporalio/client';
import type { Probe } from './probe.js';
import type { ProbeSession } from './session.js';
import { connectionOptions } from '../temporal/connection.js';
import { reason, ConfigError } from '../errors.js';
import { WORKFLOW_SERVICE } from '../model/temporal-api.js';
import { expectedSchema } from '../config/server-schemas.js';
import { readSchemaVersions, schemaProblem, type SchemaVersions } from './schema-versions.js';
import { tcpReachable } from './tcp.js';

/** grpc.health.v1.HealthCheckResponse.ServingStatus, without loading the protos. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

interface Frontend {
  status: string;
  version?: string;
}

export const temporalProbe: Probe = {
  service: 'server',
  prepare: () => Promise.all([import('@temporalio/client'), import('pg')]),
  async run(config, signal, session) {
    const [frontend, schema] = await Promise.allSettled([
      checkFrontend(config, signal, session),
      readSchemaVersions(config, signal, session),
    ]);
    const found = schema.status === 'fulfilled' ? schema.value : undefined;
    const version = frontend.status === 'fulfilled' ? frontend.value.version : undefined;
    // Judge the schema by the running server, else by the version the config deploys.
    const serverVersion = version ?? config.TEMPORAL_VERSION;
    const data = schemaData(found, serverVersion);
    // Checked even when the frontend is down: a stale schema is why a server does not start after an upgrade.
    const problem = schemaProblem(found, serverVersion);
    if (problem !== undefined) return { healthy: false, version, data, detail: problem };
    if (frontend.status === 'rejected') {
      if (frontend.reason instanceof ConfigError) throw frontend.reason;
      const missing = schema.status === 'rejected' ? missingSchema(config, schema.reason) : '';
      return { healthy: false, data, detail: `${reason(frontend.reason)}${missing}` };
    }
    const { status } = frontend.value;
    if (status !== 'SERVING') {
      return {
        healthy: false,
        version,
        data,
        detail: `frontend health is ${status} (membership not ready yet, or the server is shutting down)`,
      };
    }
    return { healthy: true, version, data, detail: found ? `SERVING, schema ${schemaText(found)}` : 'SERVING' };
  },
};

async function checkFrontend(c: ClusterConfig, signal: AbortSignal, session?: ProbeSession): Promise<Frontend> {
  // Options first: an unreadable TLS file is a config error (exit 2) whether or not the server is up.
  const connection = session?.get<Connection>(CHANNEL) ?? (await openChannel(c, session));
  // A closed port fails here at once; gRPC would instead retry until the deadline.
  const [host = '', port = ''] = splitAddress(c.TEMPORAL_ADDRESS);
  try {
    await tcpReachable(
      host,
      Number(port),
      signal,
      `nothing listens on ${c.TEMPORAL_ADDRESS}: start the server (\`temporal-ctl start\`) or check TEMPORAL_ADDRESS`,
    );
  } catch (error) {
    // The server is gone: a kept channel would come back on gRPC's reconnect backoff, so start afresh.
    await (session ? session.drop(CHANNEL) : connection.close());
    throw error;
  }
  try {
    return await connection.withAbortSignal(signal, async () => {
      const health = await connection.healthService.check({ service: WORKFLOW_SERVICE });
      const status = SERVING_STATUS[health.status ?? 0] ?? String(health.status);
      if (status !== 'SERVING') return { status };
      const info = await connection.workflowService.getSystemInfo({});
      return { status, version: info.serverVersion || undefined };
    });
  } catch (error) {
    await session?.drop(CHANNEL); // likewise: the next round opens a new channel
    throw new Error(`gRPC health check of ${c.TEMPORAL_ADDRESS} failed: ${grpcReason(error)}`);
  } finally {
    if (!session) await connection.close();
  }
}

/** The session's key of the frontend channel (the namespace check reuses it). */
export const CHANNEL = 'temporal:channel';

export async function openChannel(c: ClusterConfig, session?: ProbeSession): Promise<Connection> {
  const { Connection } = await import('@temporalio/client');
  // No retry interceptor: a probe asks once. The SDK's default retries UNAVAILABLE (a refused TLS
  // handshake, say) for about 20 s, past the probe's timeout, and keeps `status` from exiting.
  const connection = Connection.lazy({ ...(await connectionOptions(c, c.TEMPORAL_PROBE_TIMEOUT)), interceptors: [] });
  session?.set(CHANNEL, connection, (x) => x.close());
  return connection;
}

/** When the frontend is down, a database without the schema is the likely cause. */
function missingSchema(c: ClusterConfig, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code !== '3D000' && code !== '42P01') return '';
  return `; ${c.TEMPORAL_DB} has no Temporal schema (${reason(error)}): run the schema job (\`temporal-ctl start\`)`;
}

function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), address.slice(i + 1)];
}

function grpcReason(error: unknown): string {
  const details = (error as { details?: unknown }).details;
  return typeof details === 'string' && details !== '' ? details : reason(error);
}

function schemaText(s: SchemaVersions): string {
  return s.visibility === undefined ? `${s.temporal}` : `${s.temporal}/${s.visibility} (visibility)`;
}

function schemaData(found: SchemaVersions | undefined, serverVersion: string): Record<string, unknown> | undefined {
  if (!found) return undefined;
  return { schema: found, expectedSchema: expectedSchema(serverVersion) ?? null };
}
