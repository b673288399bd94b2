// What travels with a backup (manifest.json in the archive), and the judgements restore makes on it
// before touching anything: the history shard count must match, the schema must not be newer than
// the configured server's.
import type { ClusterConfig } from '../config/schema.js';
import { DataConflictError } from '../errors.js';
import { compareVersions, expectedSchema } from '../config/server-schemas.js';

export const MANIFEST_ENTRY = 'manifest.json';
export const FORMAT = 'temporal-ctl-backup/1';

/** The role of a dumped database: it is restored into the config's database of that role. */
export type DatabaseRole = 'persistence' | 'visibility';

export interface DumpedDatabase {
  readonly role: DatabaseRole;
  /** The database's name in the backed-up cluster. */
  readonly name: string;
  /** The archive entry holding its pg_dump (custom format). */
  readonly entry: string;
  /** schema_version.curr_version at the dump. */
  readonly schemaVersion: string;
  readonly bytes: number;
  readonly ms: number;
}

export interface ManifestNamespace {
  readonly name: string;
  readonly retentionSeconds: number;
}

export interface Manifest {
  readonly format: typeof FORMAT;
  readonly createdAt: string;
  readonly temporalCtlVersion: string;
  readonly project: string;
  readonly profile: string;
  /** The running server's version (GetSystemInfo), else its image tag. */
  readonly serverVersion: string;
  readonly serverImage: string;
  readonly postgresImage: string;
  /** The shard count persisted in the database (rows of the shards table), not only the config's. */
  readonly historyShards: number;
  readonly visibilityStore: ClusterConfig['TEMPORAL_VISIBILITY'];
  readonly databases: readonly DumpedDatabase[];
  readonly namespaces: readonly ManifestNamespace[];
  readonly totalMs: number;
  readonly totalBytes: number;
}

/** The manifest read back from an archive; anything else is refused. */
export function parseManifest(text: string, file: string): Manifest {
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new DataConflictError(`${file} has an unreadable ${MANIFEST_ENTRY}: it is not a temporal-ctl backup`);
  }
  if (value.format !== FORMAT || !Array.isArray(value.databases) || typeof value.historyShards !== 'number')
    throw new DataConflictError(
      `${file} is not a temporal-ctl backup of a known format (format ${String(value.format)}, this temporal-ctl reads ${FORMAT})`,
    );
  return value as Manifest;
}

/** The refusals of restoring `m` into a cluster with `targetShards` and the configured server. */
export function restoreConflicts(m: Manifest, c: ClusterConfig, targetShards: number): DataConflictError | undefined {
  const problems: string[] = [];
  if (m.historyShards !== targetShards)
    problems.push(
      `the backup has ${m.historyShards} history shards and this cluster ${targetShards}: the shard count can never change, so restore into a cluster with NUM_HISTORY_SHARDS=${m.historyShards} (a new project, or after \`temporal-ctl down --volumes\`)`,
    );
  const want = expectedSchema(c.TEMPORAL_VERSION);
  if (!want)
    problems.push(
      `TEMPORAL_VERSION ${c.TEMPORAL_VERSION} is a server release whose schema versions temporal-ctl does not know, so it cannot judge the backup's schema; use a known release`,
    );
  for (const db of m.databases) {
    if (!want) break;
    const wanted = db.role === 'persistence' ? want.temporal : want.visibility;
    if (compareVersions(db.schemaVersion, wanted) > 0)
      problems.push(
        `the backup's ${db.role} schema ${db.schemaVersion} is newer than server ${c.TEMPORAL_VERSION} knows (${wanted}): set TEMPORAL_VERSION=${m.serverVersion} (the backed-up server's) and start that version first`,
      );
  }
  return problems.length === 0 ? undefined : new DataConflictError(problems.join('\n'));
}
