// PostgreSQL: a real session and query (not a TCP connect), plus the server version.
import type { Probe } from './probe.js';
import { pgProblem, withPg } from './pg.js';

/** The maintenance database always exists, so this probe does not depend on the schema job. */
const MAINTENANCE_DB = 'postgres';

export const postgresqlProbe: Probe = {
  service: 'postgresql',
  prepare: () => import('pg'),
  async run(config, signal, session) {
    try {
      const version = await withPg(
        config,
        MAINTENANCE_DB,
        signal,
        async (client) => {
          await client.query('SELECT 1');
          const res = await client.query<{ server_version: string }>('SHOW server_version');
          return res.rows[0]?.server_version.split(' ')[0] ?? 'unknown';
        },
        session,
      );
      return { healthy: true, detail: 'accepts connections and queries', version };
    } catch (error) {
      return { healthy: false, detail: pgProblem(config, error) };
    }
  },
};
