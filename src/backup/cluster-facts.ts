// What a backup records about the cluster besides its data, read where it is true: the schema
// versions and the persisted shard count from the databases (psql in the postgres container, so a
// remote DOCKER_HOST works), the server version and the namespaces from the server itself.
import type { ClusterConfig } from '../config/schema.js';
import type { DataPostgres } from '../stores/postgres-data.js';
import { OperationError } from '../errors.js';
import { listNamespaces } from '../namespaces/ops.js';
import { withConnection } from '../temporal/connection.js';
import type { ManifestNamespace } from './manifest.js';

/** schema_version.curr_version of a database. */
export async function schemaVersionOf(pg: DataPostgres, database: string): Promise<string> {
  const r = await pg.psql(database, 'select curr_version from schema_version');
  const version = r.stdout.trim();
  if (r.exitCode !== 0 || !/^\d+(\.\d+)*$/.test(version))
    throw new OperationError(
      `could not read the schema version of database ${database}: ${r.stderr.trim() || 'no schema_version row'}`,
      { hint: 'run `temporal-ctl status` to check the cluster is set up' },
    );
  return version;
}

/** The shard count the server persisted (one row per shard), 0 when the database holds none yet. */
export async function persistedShards(pg: DataPostgres, database: string): Promise<number> {
  const r = await pg.psql(database, 'select count(*) from shards');
  return r.exitCode === 0 ? Number(r.stdout.trim()) : 0;
}

/**
 * The workflow executions of users' namespaces in the persistence database (a restore would replace
 * them). The server's own system workflows (namespace temporal-system) run in every cluster, a fresh
 * one too, so they do not count.
 */
export async function holdsWorkflows(pg: DataPostgres, database: string): Promise<number> {
  const r = await pg.psql(
    database,
    "select count(*) from executions e join namespaces n on n.id = e.namespace_id where n.name <> 'temporal-system'",
  );
  return r.exitCode === 0 ? Number(r.stdout.trim()) : 0;
}

export interface ServerFacts {
  readonly serverVersion: string;
  readonly namespaces: ManifestNamespace[];
}

/** The server's version (GetSystemInfo) and its registered namespaces with their retention. */
export function serverFacts(c: ClusterConfig): Promise<ServerFacts> {
  return withConnection(c, { action: 'read the server version and namespaces' }, async (conn) => {
    const info = await conn.workflowService.getSystemInfo({});
    const namespaces = (await listNamespaces(conn))
      .filter((n) => n.state === 'registered')
      .map((n) => ({ name: n.name, retentionSeconds: n.retentionSeconds }));
    return { serverVersion: info.serverVersion || c.TEMPORAL_VERSION, namespaces };
  });
}

/** The namespaces of the manifest that the server lacks, or holds with another retention. */
export async function missingNamespaces(c: ClusterConfig, expected: readonly ManifestNamespace[]): Promise<string[]> {
  const found = await serverFacts(c);
  const byName = new Map(found.namespaces.map((n) => [n.name, n.retentionSeconds]));
  return expected
    .filter((n) => byName.get(n.name) !== n.retentionSeconds)
    .map((n) =>
      byName.has(n.name)
        ? `${n.name} (retention ${byName.get(n.name)}s, backup ${n.retentionSeconds}s)`
        : `${n.name} (not found)`,
    );
}
