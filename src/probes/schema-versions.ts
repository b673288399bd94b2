// The SQL schema versions a Temporal server release needs, and reading what the
// databases hold. A schema older than the server is the usual failure after an
// upgrade: the server refuses to start until the schema job has run.
import type { ClusterConfig } from '../config/schema.js';
import { withPg } from './pg.js';
import type { ProbeSession } from './session.js';

/**
 * Server minor -> PostgreSQL schema versions it requires. Source of each row:
 * schema/postgresql/v12/version.go (Version, VisibilityVersion) of that server
 * release; 1.31 verified against go.temporal.io/server@v1.31.2. Add a row when
 * TEMPORAL_VERSION moves to a new minor; an unknown minor is reported, not judged.
 */
export const EXPECTED_SCHEMA: Readonly<Record<string, { temporal: string; visibility: string }>> = {
  '1.31': { temporal: '1.19', visibility: '1.14' },
};

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

/** The schema expected by a server version (1.31.2 -> the 1.31 row), if known. */
export function expectedSchema(serverVersion: string): { temporal: string; visibility: string } | undefined {
  const minor = /^(\d+\.\d+)/.exec(serverVersion)?.[1];
  return minor === undefined ? undefined : EXPECTED_SCHEMA[minor];
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Databases whose schema is older than the server needs, as "temporal 1.18 < 1.19". */
export function outdatedSchemas(found: SchemaVersions, serverVersion: string): string[] {
  const want = expectedSchema(serverVersion);
  if (!want) return [];
  const stale: string[] = [];
  if (compareVersions(found.temporal, want.temporal) < 0) stale.push(`temporal ${found.temporal} < ${want.temporal}`);
  if (found.visibility !== undefined && compareVersions(found.visibility, want.visibility) < 0) {
    stale.push(`visibility ${found.visibility} < ${want.visibility}`);
  }
  return stale;
}
