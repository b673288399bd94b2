// Reading the SQL schema versions the databases hold, and judging them against what the
// server requires (src/config/server-schemas.ts). A schema older than the server is the usual
// failure after an upgrade: the server refuses to start until the schema job has run.
import type { ClusterConfig } from '../config/schema.js';
import { compareVersions, expectedSchema, type ServerSchema, unknownServerVersion } from '../config/server-schemas.js';
import { withPg } from './pg.js';
import type { ProbeSession } from './session.js';

export interface SchemaVersions {
  temporal: string;
  /** Absent when visibility lives in Elasticsearch. */
  visibility?: string;
}

/** curr_version of schema_version in TEMPORAL_DB (and TEMPORAL_VISIBILITY_DB for SQL visibility). */
export async function readSchemaVersions(
  c: ClusterConfig,
  signal: AbortSignal,
  session?: ProbeSession,
): Promise<SchemaVersions> {
  const read = (db: string) =>
    withPg(
      c,
      db,
      signal,
      async (client) => {
        const res = await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version');
        return res.rows[0]?.curr_version ?? '0.0';
      },
      session,
    );
  const [temporal, visibility] = await Promise.all([
    read(c.TEMPORAL_DB),
    c.TEMPORAL_VISIBILITY === 'postgres' ? read(c.TEMPORAL_VISIBILITY_DB) : Promise.resolve(undefined),
  ]);
  return visibility === undefined ? { temporal } : { temporal, visibility };
}

/** Databases whose schema is older than the server needs, as "temporal 1.18 < 1.19". */
export function outdatedSchemas(found: SchemaVersions, want: ServerSchema): string[] {
  const stale: string[] = [];
  if (compareVersions(found.temporal, want.temporal) < 0) stale.push(`temporal ${found.temporal} < ${want.temporal}`);
  if (found.visibility !== undefined && compareVersions(found.visibility, want.visibility) < 0) {
    stale.push(`visibility ${found.visibility} < ${want.visibility}`);
  }
  return stale;
}

/**
 * What is wrong with the schema for this server version, as the status detail; undefined when
 * nothing is. A server minor without a row in the schema table is a problem too: never passed unjudged.
 */
export function schemaProblem(found: SchemaVersions | undefined, serverVersion: string): string | undefined {
  const want = expectedSchema(serverVersion);
  if (!want) {
    return `${unknownServerVersion(serverVersion)}: run a server of a known minor, or a temporal-ctl release that knows this one`;
  }
  const stale = found ? outdatedSchemas(found, want) : [];
  if (stale.length === 0) return undefined;
  return `schema older than server ${serverVersion} needs (${stale.join(', ')}): run the schema job (\`temporal-ctl start\`)`;
}
