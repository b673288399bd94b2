// `restore FILE`: a backup into this project's cluster (fresh from `start`, or stopped). Refusals
// first, nothing touched (shard count, newer schema); then, with PostgreSQL running and the server,
// UI and admin-tools stopped: drop and recreate each database, pg_restore into it, rerun the schema
// job (an older schema is updated), start the rest, wait until healthy, check the namespaces.
//
// A failure after the first drop leaves the databases incomplete and the server stopped; the
// error says so, and the same command again starts over from the drop (the backup file is only read).
import type { LoadedConfig } from '../project/load.js';
import type { ClusterConfig } from '../config/schema.js';
import { enabledServices, isOneShot, serviceDecl } from '../model/service-facts.js';
import { externalPostgres } from '../model/postgres-layout.js';
import type { ServiceName } from '../model/services.js';
import type { Env } from '../docker/client.js';
import { listStackContainers, startStack, stopStack } from '../docker/containers.js';
import { withDataPostgres, type DataPostgres } from '../stores/postgres-data.js';
import { OperationError } from '../errors.js';
import { ignoreInterrupts, watchInterrupts, type InterruptState, type Interrupts } from '../interrupts.js';
import { factsFile, readFacts } from '../preflight/facts.js';
import { sleep } from '../sleep.js';
import { openArchive, type OpenArchive } from '../backup/archive.js';
import { holdsWorkflows, missingNamespaces } from '../backup/cluster-facts.js';
import { databasesOf } from '../backup/contents.js';
import { restoreConflicts, type DumpedDatabase, type Manifest } from '../backup/manifest.js';
import { restoreDatabase } from '../backup/pg-stream.js';
import { rerunSchemaJob } from '../backup/rerun-schema-job.js';
import type { Emit } from './events.js';
import { waitUntilHealthy } from './health-wait.js';

export interface RestoreOptions {
  readonly file: string;
  readonly env: Env;
  /** Asked when the target already holds workflows; throws to refuse. */
  readonly confirmOverwrite: (workflows: number) => Promise<void>;
  /** Bound of the wait for health after the restore. */
  readonly timeoutMs: number;
  /** SIGINT/SIGTERM end the restore and say what state it leaves (exit 130/143). @default false */
  readonly interruptible?: boolean;
}

export interface RestoreResult {
  readonly manifest: Manifest;
  readonly restored: { readonly role: string; readonly database: string; readonly bytes: number }[];
  readonly ms: number;
}

/**
 * Services stopped while their databases are replaced: everything the config runs that keeps no data
 * of its own (the server, or every role instance and the balancer, the UI, admin-tools), not the stores.
 */
const clientsOf = (c: ClusterConfig): ServiceName[] =>
  enabledServices(c).filter((s) => !serviceDecl(s).volume && !isOneShot(s));

export async function restore(loaded: LoadedConfig, options: RestoreOptions, emit: Emit): Promise<RestoreResult> {
  const c = loaded.config;
  const started = performance.now();
  const archive = await openArchive(options.file);
  // Watched only once nothing is asked any more (a prompt keeps the terminal's own Ctrl-C).
  let interrupts: Interrupts = ignoreInterrupts();
  const watch = () => {
    interrupts = options.interruptible ? watchInterrupts(REPLACING) : ignoreInterrupts();
    return interrupts;
  };
  try {
    const targetShards = readFacts(factsFile(loaded))?.NUM_HISTORY_SHARDS ?? c.NUM_HISTORY_SHARDS;
    const conflict = restoreConflicts(archive.manifest, c, targetShards);
    if (conflict) throw conflict;
    await startPostgres(c, options.env);
    const restored = await withDataPostgres(
      c,
      options.env,
      () => undefined,
      (pg) => replaceDatabases(c, pg, archive, options, watch, emit),
    );
    await interrupts.during(RESTARTING, (signal) => finish(c, archive.manifest, options, signal, emit));
    return { manifest: archive.manifest, restored: restored ?? [], ms: Math.round(performance.now() - started) };
  } catch (error) {
    throw interrupts.explain(error);
  } finally {
    interrupts.stop();
    await archive.handle.close();
  }
}

const REPLACING: InterruptState = {
  when: 'while replacing the databases',
  leaves:
    'the databases may be incomplete and the server, UI and admin-tools are stopped; run the same `temporal-ctl restore FILE --yes` again (it starts over from dropping the databases)',
};
const RESTARTING: InterruptState = {
  when: 'after the databases were restored',
  leaves: 'the data is restored; `temporal-ctl start` brings the cluster up (its schema job updates the schema too)',
};

/** The stores must run (the rest may be stopped); no cluster at all is a fresh `start` away. */
async function startPostgres(c: ClusterConfig, env: Env): Promise<void> {
  // An external PostgreSQL is not the stack's to start: a cluster to restore into is any of its services.
  const service = externalPostgres(c) ? 'schema' : 'postgresql';
  const pg = (await listStackContainers(c, env)).find((s) => s.service === service);
  if (!pg)
    throw new OperationError(`project ${c.TEMPORAL_PROJECT} has no cluster to restore into`, {
      hint: 'create one with `temporal-ctl start` (same NUM_HISTORY_SHARDS as the backup), then run restore again',
    });
  await startStack(c, env, ['postgresql', 'elasticsearch']);
}

async function replaceDatabases(
  c: ClusterConfig,
  pg: DataPostgres,
  archive: OpenArchive,
  options: RestoreOptions,
  watch: () => Interrupts,
  emit: Emit,
): Promise<RestoreResult['restored']> {
  const workflows = await holdsWorkflows(pg, c.TEMPORAL_DB);
  if (workflows > 0) await options.confirmOverwrite(workflows);
  return watch().during(REPLACING, (signal) => replace(c, pg, archive, options, signal, emit));
}

async function replace(
  c: ClusterConfig,
  pg: DataPostgres,
  archive: OpenArchive,
  options: RestoreOptions,
  signal: AbortSignal,
  emit: Emit,
): Promise<RestoreResult['restored']> {
  const plan = targets(c, archive.manifest, emit);
  emit({ type: 'services-stopping', services: clientsOf(c) });
  await stopStack(c, options.env, clientsOf(c));
  const restored: RestoreResult['restored'] = [];
  for (const { dump, database } of plan) {
    emit({ type: 'database-restoring', role: dump.role, database });
    await midway(async () => {
      const quoted = `"${database.replace(/"/g, '""')}"`;
      for (const sql of [`drop database if exists ${quoted} with (force)`, `create database ${quoted}`]) {
        const r = await pg.psql('postgres', sql);
        if (r.exitCode !== 0) throw new OperationError(`\`${sql}\` failed: ${r.stderr.trim()}`);
      }
      await restoreDatabase(
        pg.login,
        database,
        archive.handle,
        archive.range(dump),
        (bytes) => emit({ type: 'database-bytes', database, bytes, total: dump.bytes }),
        signal,
      );
    });
    restored.push({ role: dump.role, database, bytes: dump.bytes });
  }
  return restored;
}

/** Each dump of the backup with the database of the same role in this config (visibility only SQL to SQL). */
function targets(c: ClusterConfig, m: Manifest, emit: Emit): { dump: DumpedDatabase; database: string }[] {
  const here = new Map(databasesOf(c).map((d) => [d.role, d.name]));
  const plan = m.databases.flatMap((dump) => {
    const database = here.get(dump.role);
    return database ? [{ dump, database }] : [];
  });
  if (m.visibilityStore !== c.TEMPORAL_VISIBILITY)
    emit({
      type: 'warning',
      message: `the backup's visibility was in ${m.visibilityStore}, this cluster's is in ${c.TEMPORAL_VISIBILITY}: workflow lists and searches show only what runs after the restore (docs/operations.md#backup-and-restore)`,
    });
  return plan;
}

async function finish(c: ClusterConfig, m: Manifest, options: RestoreOptions, signal: AbortSignal, emit: Emit) {
  await midway(async () => {
    emit({ type: 'schema-job-rerun' });
    await rerunSchemaJob(c, options.env);
    emit({ type: 'services-starting', services: clientsOf(c) });
    await startStack(c, options.env);
    const bound = { remainingMs: options.timeoutMs, totalMs: options.timeoutMs, signal };
    await waitUntilHealthy(c, bound, options.env, emit);
  });
  emit({ type: 'namespaces-checking', count: m.namespaces.length });
  await verifyNamespaces(c, m);
}

/** The namespace cache refreshes every few seconds: poll a short while before calling one missing. */
async function verifyNamespaces(c: ClusterConfig, m: Manifest): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const missing = await missingNamespaces(c, m.namespaces);
    if (missing.length === 0) return;
    if (performance.now() > deadline)
      throw new OperationError(`after the restore the server lacks namespaces of the backup: ${missing.join(', ')}`, {
        hint: 'check `temporal-ctl namespace list` and the server log (`temporal-ctl logs server`)',
      });
    await sleep(1000);
  }
}

/** A failure once databases are being replaced: says what state it leaves and how to retry. */
async function midway(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OperationError(
      `restore failed midway: ${message}. The databases may be incomplete and the server may be stopped; the backup file is unchanged`,
      {
        hint: 'fix the cause, then run the same `temporal-ctl restore FILE --yes` again: it starts over from dropping the databases',
        cause: error,
      },
    );
  }
}
