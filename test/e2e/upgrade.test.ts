// `temporal-ctl upgrade` end to end on the real engine with real terraform and the real provider,
// across two real Temporal server releases (stand-in images of go-built servers,
// scripts/build-e2e-images): start on the newest patch of the minor before the default release with
// a workflow waiting for a signal (Python SDK) -> `start` with the new release is refused (exit 2,
// naming upgrade) and `upgrade --dry-run` shows its plan (only the release's containers replaced);
// neither changes anything -> `upgrade --yes` runs the step for real (backup first; the schema job
// finishes before the server is created), the server reports the new release, both schemas are its,
// temporal.env names it -> the workflow takes its signal and completes with its earlier history
// intact -> start is a no-op, a downgrade is refused (exit 2).
// The chain over several minors and its refusals are unit-tested (test/unit/upgrade.test.ts); the
// schema job's move across a schema change runs on the test environment's PostgreSQL
// (test/integration/test-env.test.ts): building a third server release for them would cost minutes.
// Its own project name (SQL visibility, for speed), so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe } from 'node:test';
import { parseDotenv } from '../../src/config/dotenv.js';
import { execIn } from '../../src/docker/container-exec.js';
import { expectedSchema } from '../../src/config/server-schemas.js';
import type { ServiceName } from '../../src/model/services.js';
import { cliEnv, json, tail } from '../support/cli.js';
import { requireTestEnv } from '../support/env.js';
import { engineState } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy } from './healthy.js';
import { watchOutage } from './outage.js';
import { buildImages, E2E_PROJECT } from './provision.js';
import { upgradeReleases } from './upgrade-releases.js';
import { signalWorker, temporalCli, type ClientEnv } from './worker.js';

const PROJECT = `${E2E_PROJECT}-upgrade`;
const WAITING_ID = 'e2e-upgrade-waits-for-signal';
const { from: FROM, target: TARGET } = upgradeReleases();

describe(`upgrade ${FROM} -> ${TARGET}: schema first, backup, workflows kept`, suiteOptions(), () => {
  const suite = e2eSuite();
  const { step } = suite.steps;
  let run: E2eRun;
  let client: ClientEnv;
  let historyBefore: { eventId: string; eventType: string }[] = [];
  let envBefore = '';

  const env = () => requireTestEnv();
  const cli = (args: string[]) => temporalCli(env(), client, args);
  const containerIds = async () => {
    const { containers } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
    const inspected = await Promise.all(containers.map((c) => run.docker.getContainer(c.name).inspect()));
    return Object.fromEntries(containers.map((c, i) => [c.service, inspected[i]!])) as Partial<
      Record<ServiceName, (typeof inspected)[number]>
    >;
  };
  /** The release the server reports to Temporal's CLI (GetSystemInfo). */
  const serverRelease = async () => {
    const r = await cli(['operator', 'cluster', 'system', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { serverVersion: string }).serverVersion;
  };
  /** schema_version of a database, read with psql in the postgres container. */
  const schemaOf = async (database: string) => {
    const pg = (await containerIds()).postgresql!;
    const r = await execIn(run.docker, pg.Id, [
      'psql',
      '-X',
      '-At',
      '-U',
      run.config.POSTGRES_USER,
      '-d',
      database,
      '-c',
      'select curr_version from schema_version',
    ]);
    assert.equal(r.exitCode, 0, r.stderr);
    return r.stdout.trim();
  };
  const history = async () => {
    const r = await cli(['workflow', 'show', '--workflow-id', WAITING_ID, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { events: { eventId: string; eventType: string }[] }).events.map((e) => ({
      eventId: e.eventId,
      eventType: e.eventType,
    }));
  };

  const STARTED = step(
    `start on ${FROM} (images of ${TARGET} built beside), a workflow waits for a signal`,
    async (t) => {
      run = await suite.start({
        project: PROJECT,
        settings: { TEMPORAL_VERSION: FROM, TEMPORAL_VISIBILITY: 'postgres' },
      });
      for (const note of run.notes) t.diagnostic(note);
      // The new release's images, as a user's engine would pull them (no registry here).
      const file = join(run.tmp, `release-${TARGET}.env`);
      await writeFile(file, `${await readFile(run.envFile, 'utf8')}TEMPORAL_VERSION=${TARGET}\n`);
      await buildImages(file, { ...cliEnv(), DOCKER_HOST: run.env.DOCKER_HOST ?? '' });
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
      assert.equal(r.code, 0, tail(r));
      client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
      assert.equal(await serverRelease(), FROM);
      const waiting = await signalWorker(env(), client, 'start', WAITING_ID);
      assert.equal(waiting.code, 0, waiting.stderr);
      assert.equal(waiting.doc?.waiting, true);
      historyBefore = await history();
      envBefore = await readFile(run.envFile, 'utf8');
    },
  );

  const REFUSED =
    step(`refusals change nothing: start with TEMPORAL_VERSION=${TARGET} names upgrade (exit 2); upgrade --dry-run shows the plan`, async () => {
      const ids = Object.fromEntries(Object.entries(await containerIds()).map(([s, c]) => [s, c!.Id]));
      await writeFile(run.envFile, `${envBefore}TEMPORAL_VERSION=${TARGET}\n`);
      const start = await run.ctl(['start', '--yes', '--timeout', '120s']);
      await writeFile(run.envFile, envBefore);
      assert.equal(start.code, 2, tail(start));
      assert.match(
        start.stderr,
        new RegExp(`start does not upgrade the server; run \`temporal-ctl upgrade --to ${TARGET}\``),
      );

      const dry = await run.ctl(['upgrade', '--to', TARGET, '--dry-run']);
      assert.equal(dry.code, 0, tail(dry));
      assert.match(dry.stderr, /server\s+replace/);
      assert.match(dry.stdout, /dry run: nothing was changed/);

      const now = Object.fromEntries(Object.entries(await containerIds()).map(([s, c]) => [s, c!.Id]));
      assert.deepEqual(now, ids, 'a refusal or the dry run changed containers');
      assert.equal(await readFile(run.envFile, 'utf8'), envBefore, 'a refusal or the dry run edited temporal.env');
      assert.equal(await serverRelease(), FROM);
    }, [STARTED]);

  const UPGRADED = step(
    `upgrade --to ${TARGET} --yes: backup, then the schema job before the server; ${TARGET} healthy and recorded`,
    async (t) => {
      const backupFile = join(run.tmp, 'before-upgrade.tctl-backup');
      const outage = watchOutage(async () => (await cli(['operator', 'cluster', 'health'])).code === 0);
      const r = await run.ctl(['upgrade', '--to', TARGET, '--yes', '--backup-file', backupFile]);
      const unavailableMs = await outage.stop();
      t.diagnostic(
        `upgrade ${FROM} -> ${TARGET} took ${r.ms} ms; the frontend did not answer for at most ${Math.round(unavailableMs)} ms at a time`,
      );
      for (const line of r.stderr
        .split('\n')
        .filter((l) => /backup written|schema updated|upgraded|step \d|docker_container/.test(l)))
        t.diagnostic(line.trim());
      for (const line of r.stdout.split('\n').filter((l) => /upgraded/.test(l))) t.diagnostic(line.trim());
      assert.equal(r.code, 0, tail(r, 60));
      assert.match(r.stderr, new RegExp(`backup written to ${backupFile.replace(/[.]/g, '\\.')}`));
      // The schema update is reported before the server is replaced.
      assert.ok(r.stderr.includes(`schema updated for ${TARGET}`), `no schema update line for ${TARGET}`);
      assert.ok(r.stdout.includes(`-> ${TARGET} in`), `no upgrade line for ${TARGET}`);
      // On the engine: the schema job finished before the server container was created.
      const c = await containerIds();
      assert.ok(
        Date.parse(c.schema!.State.FinishedAt) <= Date.parse(c.server!.Created),
        `schema job finished ${c.schema!.State.FinishedAt}, server created ${c.server!.Created}`,
      );
      const targetImage = await run.docker.getImage(c.server!.Config.Image).inspect();
      assert.ok(
        targetImage.RepoTags?.some((tag) => tag.endsWith(`/temporalio/server:${TARGET}`)),
        `the server runs ${targetImage.RepoTags?.join(', ')}`,
      );
      assert.equal(await serverRelease(), TARGET);
      const want = expectedSchema(TARGET)!;
      assert.equal(await schemaOf(run.config.TEMPORAL_DB), want.temporal);
      assert.equal(await schemaOf(run.config.TEMPORAL_VISIBILITY_DB), want.visibility);
      assert.equal(parseDotenv(await readFile(run.envFile, 'utf8')).values.TEMPORAL_VERSION, TARGET);
      await assertAllHealthy(run);
      assert.ok(Number.isFinite(unavailableMs), 'the frontend was still down when upgrade returned');
    },
    [REFUSED],
  );

  step('the waiting workflow takes its signal and completes; its history from before the upgrade is intact', async () => {
    const done = await signalWorker(env(), client, 'finish', WAITING_ID, `after ${TARGET}`);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.doc?.result, `signalled: after ${TARGET}`);
    const after = await history();
    assert.deepEqual(after.slice(0, historyBefore.length), historyBefore);
    assert.equal(after.at(-1)?.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  }, [UPGRADED]);

  step(`start afterwards is a no-op on ${TARGET}; a downgrade is refused (exit 2); upgrade again has nothing to do`, async () => {
    const start = await run.ctl(['start', '--timeout', '120s']);
    assert.equal(start.code, 0, tail(start));
    assert.match(start.stdout + start.stderr, /already running as configured/);
    const down = await run.ctl(['upgrade', '--to', FROM!, '--yes']);
    assert.equal(down.code, 2, tail(down));
    assert.match(down.stderr, new RegExp(`refusing to downgrade the server from ${TARGET} to ${FROM}`));
    // With no --to, upgrade reaches the configured release: temporal.env names ${TARGET} now.
    const again = await run.ctl(['upgrade', '-o', 'json']);
    assert.equal(again.code, 0, tail(again));
    const events = json<{ events: { type: string; version?: string }[] }>(again).events;
    assert.deepEqual(events.at(-1), { type: 'upgrade-current', version: TARGET });
    assert.equal(await serverRelease(), TARGET);
  }, [UPGRADED]);
});
