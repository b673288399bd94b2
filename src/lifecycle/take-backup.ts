// `backup`: the cluster's databases dumped through the Docker engine into one archive file
// (src/backup/tar.ts): one pg_dump per database, then manifest.json. Written to FILE.partial and renamed when
// complete and synced, so FILE is either a whole backup or absent. Callable by other lifecycle steps
// (an upgrade takes one first).
import { open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LoadedConfig } from '../project/load.js';
import { PACKAGE_VERSION } from '../installed-package.js';
import type { ClusterConfig } from '../config/schema.js';
import { listStackContainers } from '../docker/containers.js';
import { withDataPostgres, type DataPostgres } from '../stores/postgres-data.js';
import type { Env } from '../docker/client.js';
import { OperationError } from '../errors.js';
import { ignoreInterrupts, watchInterrupts, type InterruptState } from '../interrupts.js';
import { imageFor } from '../model/service-facts.js';
import { externalPostgres } from '../model/postgres-layout.js';
import { persistedShards, schemaVersionOf, serverFacts, type ServerFacts } from '../backup/cluster-facts.js';
import { databasesOf, defaultBackupFile } from '../backup/contents.js';
import { FORMAT, MANIFEST_ENTRY, type DumpedDatabase, type Manifest } from '../backup/manifest.js';
import { dumpDatabase } from '../backup/pg-stream.js';
import { BLOCK, encodeHeader, END_OF_ARCHIVE, padding } from '../backup/tar.js';
import type { Emit } from './events.js';

export interface BackupOptions {
  /** Where to write; @default defaultBackupFile in the working directory */
  readonly file?: string;
  readonly env: Env;
  /** SIGINT/SIGTERM end the backup, remove the partial file and say so (exit 130/143). @default false */
  readonly interruptible?: boolean;
}

export interface BackupResult {
  readonly file: string;
  readonly manifest: Manifest;
}

const DUMPING: InterruptState = {
  when: 'while taking the backup',
  leaves:
    'no backup was written (the partial file is removed) and the cluster is unchanged; run `temporal-ctl backup` again',
};

export async function backup(loaded: LoadedConfig, options: BackupOptions, emit: Emit): Promise<BackupResult> {
  const c = loaded.config;
  const started = performance.now();
  const file = resolve(options.file ?? defaultBackupFile(c));
  const interrupts = options.interruptible ? watchInterrupts(DUMPING) : ignoreInterrupts();
  const manifest = await interrupts
    .during(DUMPING, async (signal) => {
      await requireRunningPostgres(c, options.env);
      const server = await serverFacts(c); // first: a cluster that does not answer fails before any write
      return withDataPostgres(
        c,
        options.env,
        () => undefined,
        (pg) => writeArchive(c, pg, server, file, started, signal, emit),
      );
    })
    .catch((error: unknown) => {
      throw interrupts.explain(error);
    })
    .finally(() => interrupts.stop());
  if (!manifest) throw new OperationError(`the postgres container of ${c.TEMPORAL_PROJECT} holds no data yet`);
  return { file, manifest };
}

async function requireRunningPostgres(c: ClusterConfig, env: Env): Promise<void> {
  if (externalPostgres(c)) return; // not the stack's to run: the dump's login tells whether it answers
  const pg = (await listStackContainers(c, env)).find((s) => s.service === 'postgresql');
  if (pg?.state !== 'running')
    throw new OperationError(`the cluster's PostgreSQL is not running, so there is nothing to back up from`, {
      hint: 'start the cluster with `temporal-ctl start`, then run `temporal-ctl backup` again',
    });
}

async function writeArchive(
  c: ClusterConfig,
  pg: DataPostgres,
  server: ServerFacts,
  file: string,
  started: number,
  signal: AbortSignal,
  emit: Emit,
): Promise<Manifest> {
  const partial = `${file}.partial`;
  const out = await open(partial, 'w', 0o600);
  try {
    const dumped: DumpedDatabase[] = [];
    let at = 0;
    for (const db of databasesOf(c)) {
      emit({ type: 'database-dumping', ...db });
      const t0 = performance.now();
      const schemaVersion = await schemaVersionOf(pg, db.name);
      const entry = `${db.role}.pgdump`;
      const bytes = await dumpDatabase(
        pg.login,
        db.name,
        out,
        at + BLOCK,
        (n) => emit({ type: 'database-bytes', database: db.name, bytes: n }),
        signal,
      );
      await out.write(encodeHeader(entry, bytes, new Date()), 0, BLOCK, at); // the real size, now known
      await out.write(padding(bytes), 0, padding(bytes).length, at + BLOCK + bytes);
      at += BLOCK + bytes + padding(bytes).length;
      const done = { ...db, entry, schemaVersion, bytes, ms: Math.round(performance.now() - t0) };
      dumped.push(done);
      emit({ type: 'database-dumped', database: done });
    }
    const manifest = buildManifest(c, server, await persistedShards(pg, c.TEMPORAL_DB), dumped, started);
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const tail = Buffer.concat([encodeHeader(MANIFEST_ENTRY, text.length, new Date()), text, padding(text.length)]);
    await out.write(Buffer.concat([tail, END_OF_ARCHIVE]), 0, tail.length + END_OF_ARCHIVE.length, at);
    await out.sync();
    await out.close();
    await rename(partial, file);
    return manifest;
  } catch (error) {
    await out.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

function buildManifest(
  c: ClusterConfig,
  server: ServerFacts,
  shards: number,
  databases: DumpedDatabase[],
  started: number,
): Manifest {
  if (shards === 0)
    throw new OperationError(`database ${c.TEMPORAL_DB} holds no history shards: the server has not started on it yet`);
  return {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    temporalCtlVersion: PACKAGE_VERSION,
    project: c.TEMPORAL_PROJECT,
    profile: c.TEMPORAL_PROFILE,
    serverVersion: server.serverVersion,
    serverImage: imageFor(c, 'server'),
    postgresImage: imageFor(c, 'postgresql'),
    historyShards: shards,
    visibilityStore: c.TEMPORAL_VISIBILITY,
    databases,
    namespaces: server.namespaces,
    totalMs: Math.round(performance.now() - started),
    totalBytes: databases.reduce((sum, d) => sum + d.bytes, 0),
  };
}
