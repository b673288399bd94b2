// Backup and restore end to end on the real Docker engine, through the CLI a user installs: start
// (SQL visibility) -> a namespace with its own retention, a workflow run to completion (Python SDK
// worker), 200 more completed and one waiting for a signal -> backup (its size and time reported)
// -> the file is a tar with the manifest and one pg_dump per database -> refusals that change
// nothing: a backup with another shard count, and a restore into a cluster holding workflows
// without --yes and without a terminal -> down --volumes -> start (a fresh, empty cluster) ->
// restore (no question: a fresh cluster holds no workflows of users) -> the history is readable
// with Temporal's CLI, SQL visibility counts the 200 again, the namespaces are back with their
// retention, the waiting workflow takes its signal and completes -> a backup of a persistence schema
// one version back is brought up to date by the restore's schema job.
// Its own project name, so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { describe } from 'node:test';
import { MANIFEST_ENTRY, type Manifest } from '../../src/backup/manifest.js';
import { encodeHeader, END_OF_ARCHIVE, listEntries, padding } from '../../src/backup/tar.js';
import { execIn } from '../../src/docker/container-exec.js';
import { containerName } from '../../src/model/names-and-endpoints.js';
import { json, spawnCli, tail } from '../support/cli.js';
import { requireTestEnv } from '../support/env.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { E2E_PROJECT } from './provision.js';
import { runWorker, signalWorker, temporalCli, type ClientEnv } from './worker.js';

const PROJECT = `${E2E_PROJECT}-backup`;
const NAMESPACE = 'billing';
const RETENTION_5D = 5 * 24 * 3600;
const WAITING_ID = 'e2e-backup-waits-for-signal';
/** Workflows run to completion before the backup (its figures are for this many; SQL visibility counts them after the restore). */
const BULK = 200;

describe(
  'backup, down --volumes, start, restore: histories, namespaces and a waiting workflow come back',
  suiteOptions(),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let client: ClientEnv;
    let completed: { id: string; runId: string };
    let backupFile = '';
    let manifest: Manifest;

    const start = async (): Promise<ClientEnv> => {
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
      assert.equal(r.code, 0, tail(r));
      return json<{ clientEnv: ClientEnv }>(r).clientEnv;
    };
    const serverRunning = async (): Promise<boolean> =>
      (await run.docker.getContainer(containerName(run.config, 'server')).inspect()).State.Running;

    const PROVISION = step('provisions: the stand-in images, the provider mirror, the CLI under test', async (t) => {
      run = await suite.start({ project: PROJECT, settings: { TEMPORAL_VISIBILITY: 'postgres' } });
      for (const note of run.notes) t.diagnostic(note);
    });

    const WORKLOAD = step(
      'start, then a namespace with 5d retention, a completed workflow and one waiting for a signal',
      async (t) => {
        client = await start();
        const ns = await run.ctl(['namespace', 'create', NAMESPACE, '--retention', '5d']);
        assert.equal(ns.code, 0, tail(ns));
        const env = requireTestEnv();
        const w = await runWorker(env, client, 'e2e-backup');
        assert.equal(w.code, 0, `worker exit ${w.code}\n${w.stderr.trim()}`);
        completed = { id: w.report!.workflow.id, runId: w.report!.workflow.runId };
        const bulk = await signalWorker(env, client, 'bulk', String(BULK));
        assert.equal(bulk.code, 0, bulk.stderr);
        assert.equal(bulk.doc?.completed, BULK);
        t.diagnostic(`${BULK} signalled workflows completed in ${bulk.doc?.ms} ms`);
        const waiting = await signalWorker(env, client, 'start', WAITING_ID);
        assert.equal(waiting.code, 0, waiting.stderr);
        assert.equal(waiting.doc?.waiting, true);
        t.diagnostic(`workflow ${completed.id} completed; ${WAITING_ID} waits for its signal`);
      },
      [PROVISION],
    );

    const BACKUP = step(
      'backup writes one tar file (manifest + a pg_dump per database) recording shards, schema, namespaces',
      async (t) => {
        const r = await run.ctl(['backup', '-o', 'json']);
        assert.equal(r.code, 0, tail(r));
        const doc = json<{ file: string; manifest: Manifest }>(r);
        ({ file: backupFile, manifest } = doc);
        t.diagnostic(
          `backup of ${BULK + 2} workflows: ${manifest.totalBytes} bytes (${manifest.databases.map((d) => `${d.role} ${d.bytes} in ${d.ms} ms`).join(', ')}) in ${manifest.totalMs} ms, command ${r.ms} ms (${backupFile})`,
        );
        assert.equal(backupFile.startsWith(run.workdir), true, 'the default file is in the working directory');
        assert.match(backupFile, new RegExp(`${PROJECT}-\\d{8}T\\d{6}Z\\.tctl-backup$`));
        assert.deepEqual(
          (await readdir(run.workdir)).filter((f) => f.endsWith('.partial')),
          [],
          'no partial file is left',
        );
        // The system's tar reads it: a person can get at the dumps without temporal-ctl.
        const listed = execFileSync('tar', ['tf', backupFile], { encoding: 'utf8' }).trim().split('\n');
        assert.deepEqual(listed, ['persistence.pgdump', 'visibility.pgdump', MANIFEST_ENTRY]);
        assert.equal(manifest.historyShards, run.config.NUM_HISTORY_SHARDS);
        assert.equal(manifest.visibilityStore, 'postgres');
        assert.deepEqual(
          manifest.databases.map((d) => [d.role, d.name]),
          [
            ['persistence', run.config.TEMPORAL_DB],
            ['visibility', run.config.TEMPORAL_VISIBILITY_DB],
          ],
        );
        for (const d of manifest.databases) assert.match(d.schemaVersion, /^\d+\.\d+$/);
        assert.ok(manifest.serverVersion.startsWith(run.config.TEMPORAL_VERSION.split('.').slice(0, 2).join('.')));
        const billing = manifest.namespaces.find((n) => n.name === NAMESPACE);
        assert.equal(billing?.retentionSeconds, RETENTION_5D);
      },
      [WORKLOAD],
    );

    step('Ctrl-C while the backup dumps: exit 130, it says no backup was written, and neither the file nor its partial is left', async () => {
      const target = join(run.tmp, 'interrupted.tctl-backup');
      const r = await spawnCli(['backup', target], {
        bin: run.cli.bin,
        cwd: run.workdir,
        env: run.env,
        timeoutMs: 120_000,
        // The signal as soon as the first dump starts (without a terminal each step is one line).
        onChild: (child) => {
          let seen = '';
          child.stderr?.on('data', (d: Buffer) => {
            seen += d.toString('utf8');
            if (/dumping persistence database/.test(seen) && child.signalCode === null && !child.killed)
              child.kill('SIGINT');
          });
        },
      });
      assert.equal(r.code, 130, tail(r));
      assert.match(r.stderr, /interrupted while taking the backup: no backup was written/);
      assert.deepEqual(
        (await readdir(run.tmp)).filter((f) => f.startsWith('interrupted')),
        [],
        'no file and no partial file',
      );
    }, [BACKUP]);

    step('a backup with another history shard count is refused (exit 2) naming both counts, the cluster untouched', async () => {
      const crafted = join(run.tmp, 'other-shards.tctl-backup');
      await rewriteManifest(backupFile, crafted, { ...manifest, historyShards: manifest.historyShards + 4 });
      const r = await run.ctl(['restore', crafted, '--yes']);
      assert.equal(r.code, 2, tail(r));
      assert.match(
        r.stderr,
        new RegExp(
          `backup has ${manifest.historyShards + 4} history shards and this cluster ${manifest.historyShards}`,
        ),
      );
      assert.equal(await serverRunning(), true);
    }, [BACKUP]);

    step('restore into a cluster holding workflows, without --yes and without a terminal, is refused (exit 2)', async () => {
      const r = await run.ctl(['restore', backupFile]);
      assert.equal(r.code, 2, tail(r));
      assert.match(r.stderr, /workflow executions/);
      assert.match(r.stderr, /pass --yes/);
      assert.equal(await serverRunning(), true, 'nothing was stopped');
    }, [BACKUP]);

    const RESTORE = step(
      'down --volumes, start (empty), restore: exit 0 without --yes (only the system workflows of a fresh cluster are there)',
      async (t) => {
        const down = await run.ctl(['down', '--volumes', '--yes']);
        assert.equal(down.code, 0, tail(down));
        client = await start();
        const gone = await temporalCli(requireTestEnv(), client, ['workflow', 'describe', '-w', completed.id]);
        assert.notEqual(gone.code, 0, 'the fresh cluster does not know the workflow yet');
        const r = await run.ctl(['restore', backupFile, '-o', 'json']);
        assert.equal(r.code, 0, tail(r));
        t.diagnostic(`restore: ${json<{ ms: number }>(r).ms} ms`);
      },
      [BACKUP],
    );

    step("the completed workflow's history is readable with Temporal's CLI", async () => {
      const show = await temporalCli(requireTestEnv(), client, [
        'workflow',
        'show',
        '-w',
        completed.id,
        '-r',
        completed.runId,
        '-o',
        'json',
      ]);
      assert.equal(show.code, 0, show.stderr);
      const events = (JSON.parse(show.stdout) as { events: { eventType: string }[] }).events.map((e) => e.eventType);
      assert.ok(events.includes('EVENT_TYPE_ACTIVITY_TASK_COMPLETED'), events.join(','));
      assert.equal(events.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    }, [RESTORE]);

    step('the visibility database is back: SQL visibility counts the completed workflows of before the backup', async () => {
      const query = "WorkflowType='SignalWaitWorkflow' AND ExecutionStatus='Completed'";
      const r = await temporalCli(requireTestEnv(), client, ['workflow', 'count', '-q', query, '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(Number((JSON.parse(r.stdout) as { count: string | number }).count), BULK);
    }, [RESTORE]);

    step('the namespaces are back with their retention', async () => {
      const d = await temporalCli(requireTestEnv(), { ...client, TEMPORAL_NAMESPACE: NAMESPACE }, [
        'operator',
        'namespace',
        'describe',
        '-n',
        NAMESPACE,
        '-o',
        'json',
      ]);
      assert.equal(d.code, 0, d.stderr);
      const ttl = (JSON.parse(d.stdout) as { config: { workflowExecutionRetentionTtl: string } }).config
        .workflowExecutionRetentionTtl;
      assert.equal(ttl, `${RETENTION_5D}s`);
    }, [RESTORE]);

    step('the workflow waiting for a signal takes it and completes', async () => {
      const r = await signalWorker(requireTestEnv(), client, 'finish', WAITING_ID, 'after restore');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.doc?.result, 'signalled: after restore');
      assert.equal(existsSync(backupFile), true, 'restore leaves the backup file');
    }, [RESTORE]);

    /** psql as the database's owner inside the postgres container (its socket: no password). */
    const psql = async (sql: string): Promise<string> => {
      const r = await execIn(run.docker, containerName(run.config, 'postgresql'), [
        'psql',
        '-X',
        '-At',
        '-U',
        run.config.POSTGRES_USER,
        '-d',
        run.config.TEMPORAL_DB,
        '-c',
        sql,
      ]);
      assert.equal(r.exitCode, 0, r.stderr);
      return r.stdout.trim();
    };

    step(
      "a backup of an older schema is brought up to the server's by the restore (the schema job runs update-schema)",
      async (t) => {
        // A persistence schema one version back, made for real: the last versioned step of the
        // server's schema (its manifest.json) adds one table, so without it and with the version
        // set back the database is what the previous schema version was.
        const current = await psql('select curr_version from schema_version');
        const [major, minor] = current.split('.').map(Number);
        assert.equal(
          current,
          '1.19',
          'the versioned step undone below is v1.19 of server 1.31 (current_chasm_executions)',
        );
        await psql(
          `drop table current_chasm_executions; update schema_version set curr_version = '${major}.${minor! - 1}'`,
        );
        // Both through DOCKER_HOST=tcp://: the dumps and the restore's input stream over TCP as
        // with a remote engine (a local relay to the engine's socket stands in for the remote host).
        const relay = await tcpRelay(run.env.DOCKER_HOST ?? '');
        t.after(() => relay.close());
        const overTcp = (args: string[]) =>
          spawnCli(args, {
            bin: run.cli.bin,
            cwd: run.workdir,
            env: { ...run.env, DOCKER_HOST: relay.host },
            timeoutMs: 600_000,
          });
        const older = join(run.tmp, 'older-schema.tctl-backup');
        const b = await overTcp(['backup', older, '-o', 'json']);
        assert.equal(b.code, 0, tail(b));
        const persistence = json<{ manifest: Manifest }>(b).manifest.databases.find((d) => d.role === 'persistence');
        assert.equal(persistence?.schemaVersion, '1.18');
        const r = await overTcp(['restore', older, '--yes']);
        assert.equal(r.code, 0, tail(r));
        assert.ok(relay.connections() > 0, 'the CLI went through the TCP relay');
        t.diagnostic(`restore with the schema update: ${r.ms} ms`);
        assert.equal(await psql('select curr_version from schema_version'), current);
        assert.equal(await psql("select count(*) from pg_tables where tablename = 'current_chasm_executions'"), '1');
        const show = await temporalCli(requireTestEnv(), client, [
          'workflow',
          'show',
          '-w',
          completed.id,
          '-o',
          'json',
        ]);
        assert.equal(show.code, 0, show.stderr);
      },
      [RESTORE],
    );
  },
);

/**
 * A TCP listener relaying to the engine's unix socket, half-closes included (a client ending its
 * side, as restore does with pg_restore's input, must not end the engine's answer).
 */
async function tcpRelay(dockerHost: string): Promise<{ host: string; connections(): number; close(): void }> {
  assert.ok(dockerHost.startsWith('unix://'), `the test engine is not on a unix socket: ${dockerHost}`);
  let count = 0;
  const relay = createServer({ allowHalfOpen: true }, (client) => {
    count++;
    const upstream = connect({ path: dockerHost.slice('unix://'.length), allowHalfOpen: true });
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((ok) => relay.listen(0, '127.0.0.1', ok));
  const { port } = relay.address() as AddressInfo;
  return { host: `tcp://127.0.0.1:${port}`, connections: () => count, close: () => relay.close() };
}

/** A copy of a backup with another manifest (the dumps unchanged). */
async function rewriteManifest(from: string, to: string, manifest: Manifest): Promise<void> {
  const src = await open(from, 'r');
  const out = await open(to, 'w');
  try {
    let at = 0;
    for (const e of (await listEntries(src)).filter((x) => x.name !== MANIFEST_ENTRY)) {
      const data = Buffer.alloc(e.size);
      await src.read(data, 0, e.size, e.offset);
      const chunk = Buffer.concat([encodeHeader(e.name, e.size, new Date()), data, padding(e.size)]);
      await out.write(chunk, 0, chunk.length, at);
      at += chunk.length;
    }
    const text = Buffer.from(JSON.stringify(manifest));
    const tail = Buffer.concat([
      encodeHeader(MANIFEST_ENTRY, text.length, new Date()),
      text,
      padding(text.length),
      END_OF_ARCHIVE,
    ]);
    await out.write(tail, 0, tail.length, at);
  } finally {
    await src.close();
    await out.close();
  }
}
