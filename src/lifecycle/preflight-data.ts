// `start`'s checks of the config against the data the cluster already has, before terraform plans
// anything: another project's cluster in this state directory, the PostgreSQL major version of the
// data, the credentials it was initialized with, and the first-start facts. A conflict is refused
// (exit 2) with the running cluster untouched; a check that cannot run is a warning, not a refusal.
import type { LoadedConfig } from '../project/load.js';
import type { ClusterConfig } from '../config/schema.js';
import type { Env } from '../docker/client.js';
import { existingVolumes, imagePgMajor, withDataPostgres, type DataPostgres } from '../stores/postgres-data.js';
import { CtlError } from '../errors.js';
import { volumeName } from '../model/service-facts.js';
import {
  clearFacts,
  factConflicts,
  factsFile,
  otherProjects,
  projectConflict,
  readFacts,
  type Facts,
} from '../preflight/facts.js';
import { credentialConflict, imageMajorConflict, majorVersionConflict } from '../stores/postgres-guards.js';
import type { Emit } from './events.js';

export interface PreflightDataOptions {
  /**
   * Log in with the configured credentials and refuse a mismatch. Off for rotate-password before it
   * changes the password (the mismatch is what it is about to fix).
   * @default true
   */
  readonly credentials?: boolean;
  /**
   * Refuse a TEMPORAL_VERSION of another minor than the recorded one, or an older one. Off for
   * upgrade, which changes it on purpose after judging the chain itself.
   * @default true
   */
  readonly version?: boolean;
}

export async function preflightData(
  loaded: LoadedConfig,
  env: Env,
  emit: Emit,
  options: PreflightDataOptions = {},
): Promise<void> {
  const c = loaded.config;
  for (const other of otherProjects(loaded)) {
    const volume = volumeName({ ...c, ...other } as ClusterConfig, 'postgresql')!;
    if (other.deployed || (await existingVolumes(c, env, [volume])).length > 0) throw projectConflict(c, other);
  }
  const misread = imageMajorConflict(c, await imagePgMajor(c, env));
  if (misread) throw misread;
  try {
    const checked = await withDataPostgres(
      c,
      env,
      (data) => {
        const conflict = majorVersionConflict(c, data);
        if (conflict) throw conflict;
      },
      async (pg) => {
        if (options.credentials === false) {
          const conflict = factConflicts(c, readFacts(factsFile(loaded)) ?? {}, options);
          if (conflict) throw conflict;
          return true;
        }
        const badLogin = await credentialConflict(c, pg);
        if (badLogin) throw badLogin;
        const conflict = factConflicts(c, readFacts(factsFile(loaded)) ?? (await factsFromCluster(c, pg)), options);
        if (conflict) throw conflict;
        return true;
      },
    );
    if (!checked) clearFacts(loaded); // no data yet: facts recorded for data since deleted are void
  } catch (error) {
    if (error instanceof CtlError) throw error;
    emit({
      type: 'warning',
      message: `could not check the config against the PostgreSQL data before applying: ${(error as Error).message}`,
    });
  }
}

/**
 * The facts a cluster without a record (deployed by `cdktf deploy`, or its facts file deleted)
 * shows in its data: the database holding the history shards, and how many the server persisted.
 */
export async function factsFromCluster(c: ClusterConfig, pg: DataPostgres): Promise<Partial<Facts>> {
  const shardsIn = async (db: string) => {
    const r = await pg.psql(db, 'select count(*) from shards');
    return r.exitCode === 0 ? Number(r.stdout.trim()) : undefined;
  };
  const own = await shardsIn(c.TEMPORAL_DB);
  if (own !== undefined) return { TEMPORAL_DB: c.TEMPORAL_DB, NUM_HISTORY_SHARDS: own || undefined };
  // TEMPORAL_DB holds no history: is another database the cluster's?
  const dbs = await pg.psql(
    'postgres',
    "select datname from pg_database where not datistemplate and datname <> 'postgres'",
  );
  for (const db of dbs.exitCode === 0 ? dbs.stdout.split('\n').filter(Boolean) : []) {
    const shards = await shardsIn(db);
    if (shards !== undefined) return { TEMPORAL_DB: db, NUM_HISTORY_SHARDS: shards || undefined };
  }
  return {};
}
