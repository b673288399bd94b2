// One short-lived PostgreSQL session for probes (the postgresql probe and the
// server's schema check). pg is loaded lazily so `status --help` stays fast.
import type { Client } from 'pg';
import type { ClusterConfig } from '../config/schema.js';
import { endpoints } from '../model/names-and-endpoints.js';
import { reason } from '../errors.js';
import type { ProbeSession } from './session.js';

/**
 * Runs fn on a session to `database`. Without a ProbeSession the session is closed
 * afterwards; with one it is kept for the next round, and a kept session that fails
 * is replaced once by a fresh one (so a restarted server gets an accurate verdict).
 */
export async function withPg<T>(
  c: ClusterConfig,
  database: string,
  signal: AbortSignal,
  fn: (client: Client) => Promise<T>,
  session?: ProbeSession,
): Promise<T> {
  signal.throwIfAborted();
  const key = `pg:${c.POSTGRES_USER}@${database}`;
  const kept = session?.get<Client>(key);
  if (kept) {
    try {
      return await guarded(kept, signal, fn);
    } catch (error) {
      await session!.drop(key);
      if (signal.aborted) throw error;
    }
  }
  const { default: pg } = await import('pg');
  const { host, port, user } = endpoints(c).postgres;
  const client = new pg.Client({
    host,
    port,
    user,
    database,
    password: c.POSTGRES_PASSWORD,
    connectionTimeoutMillis: c.TEMPORAL_PROBE_TIMEOUT,
    query_timeout: c.TEMPORAL_PROBE_TIMEOUT,
    application_name: 'temporal-ctl-probe',
  });
  client.on('error', () => undefined); // a dropped socket (abort, server stop) must not crash the CLI
  let keep = false;
  try {
    const result = await guarded(client, signal, async (cl) => {
      await cl.connect();
      return fn(cl);
    });
    keep = session !== undefined;
    return result;
  } finally {
    if (keep) session!.set(key, client, (x) => x.end());
    else await client.end().catch(() => undefined);
  }
}

/** Runs fn; an abort ends the client so a hung socket cannot outlive the probe. */
async function guarded<T>(client: Client, signal: AbortSignal, fn: (client: Client) => Promise<T>): Promise<T> {
  const abort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    return await fn(client);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

/** A sentence for a failed session, naming the config key that fixes it. */
export function pgProblem(c: ClusterConfig, error: unknown): string {
  const { host, port, user } = endpoints(c).postgres;
  const code = (error as { code?: string }).code;
  switch (code) {
    case '28P01':
    case '28000':
      return `password authentication failed for user ${user}: check POSTGRES_PASSWORD (and POSTGRES_USER)`;
    case '3D000':
      return `${reason(error)}: run the schema job (\`temporal-ctl start\`) to create it`;
    case 'ECONNREFUSED':
      return `nothing listens on ${host}:${port}: start PostgreSQL (\`temporal-ctl start\`) or check POSTGRES_PORT`;
    case '57P03':
      return `PostgreSQL at ${host}:${port} is starting up and not accepting connections yet`;
    default:
      return `cannot query PostgreSQL at ${host}:${port}: ${reason(error)}`;
  }
}
