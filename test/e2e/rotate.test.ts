// Password rotation end to end on the real engine with real terraform and the real provider: a
// cluster with a workflow waiting for a signal (started by an SDK worker), a new POSTGRES_PASSWORD
// in temporal.env (with template syntax and quotes, which Terraform and psql must take literally),
// then `rotate-password`: without --yes and a terminal it refuses and changes nothing; with --yes the
// database takes the new password and refuses the old one (checked by psql over TCP to the
// container's network address, where the password counts), the postgres container is the same,
// the server is healthy on the new password, and the workflow is still there: signalled, a worker
// (PyPI's temporalio, test/e2e/worker/signal_wait.py) completes it. The password never shows in the CLI's output.
// Its own project name (postgres visibility, for speed), so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { describe } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { containerAddress, execIn } from '../../src/docker/container-exec.js';
import type { ServiceName } from '../../src/model/services.js';
import { cliEnv, json, tail, type Ran } from '../support/cli.js';
import { loadTestEnv, type TestEnv } from '../support/env.js';
import { engineState } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy } from './healthy.js';
import { watchOutage } from './outage.js';
import { E2E_PROJECT } from './provision.js';
import { signalWorker, temporalCli, type ClientEnv } from './worker.js';

const PROJECT = `${E2E_PROJECT}-rotate`;
/**
 * Template syntax, a single quote, a plus and a percent: each must reach PostgreSQL (psql's quoting),
 * the schema job and the server (Terraform's JSON, the server's config template, its connection URL)
 * as written. What the server cannot take (a space, a double quote, a backslash) the config refuses.
 */
const NEW_PASSWORD = "r0tated+p${x}%{y}'q%41";
const WORKFLOW_ID = `rotate-${Date.now().toString(36)}`;

describe(
  'rotate-password changes the database password and keeps the cluster and its workflows',
  suiteOptions(),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let client: ClientEnv;
    let oldPassword: string;
    const ids: Partial<Record<ServiceName, string>> = {};

    /** The id of each service's container, by its name (the model's naming). */
    const containerIds = async () => {
      const { containers } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
      const inspected = await Promise.all(containers.map((c) => run.docker.getContainer(c.name).inspect()));
      return Object.fromEntries(containers.map((c, i) => [c.service, inspected[i]!.Id])) as Partial<
        Record<ServiceName, string>
      >;
    };

    /** psql in the postgres container over TCP to its network address, where the password is checked. */
    const login = async (password: string) => {
      const id = (await containerIds()).postgresql!;
      const address = containerAddress(await run.docker.getContainer(id).inspect())!;
      return execIn(
        run.docker,
        id,
        ['psql', '-w', '-X', '-At', '-h', address, '-U', run.config.POSTGRES_USER, '-d', 'postgres', '-c', 'select 1'],
        [`PGPASSWORD=${password}`],
      );
    };

    const cli = (args: string[]) => temporalCli(loadTestEnv() as TestEnv, client, args);
    const describeWorkflow = async () => {
      const r = await cli(['workflow', 'describe', '--workflow-id', WORKFLOW_ID, '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { workflowExecutionInfo: { status: string } }).workflowExecutionInfo.status;
    };
    const notLeaked = (r: Ran) => {
      assert.ok(!`${r.stdout}${r.stderr}`.includes(NEW_PASSWORD), 'the new password appears in the output');
    };

    const STARTED = step('a started cluster holds a workflow that waits for a signal', async (t) => {
      run = await suite.start({ project: PROJECT, settings: { TEMPORAL_VISIBILITY: 'postgres' } });
      for (const note of run.notes) t.diagnostic(note);
      oldPassword = run.config.POSTGRES_PASSWORD;
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
      assert.equal(r.code, 0, tail(r));
      client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
      Object.assign(ids, await containerIds());
      const started = await signalWorker(loadTestEnv() as TestEnv, client, 'start', WORKFLOW_ID);
      assert.equal(started.code, 0, started.stderr);
      assert.equal(started.doc?.waiting, true);
      assert.equal(await describeWorkflow(), 'WORKFLOW_EXECUTION_STATUS_RUNNING');
    });

    const REFUSED =
      step('with a new POSTGRES_PASSWORD: start refuses and names rotate-password; rotate-password without --yes and without a terminal exits 2 and changes nothing', async () => {
        await appendFile(run.envFile, `POSTGRES_PASSWORD="${NEW_PASSWORD}"\n`);
        run.config = loadConfig({ envFile: run.envFile, env: cliEnv() }).config;
        assert.equal(run.config.POSTGRES_PASSWORD, NEW_PASSWORD);
        const start = await run.ctl(['start', '--timeout', '120s']);
        assert.equal(start.code, 2, tail(start));
        assert.match(start.stderr, /temporal-ctl rotate-password/);
        notLeaked(start);
        const r = await run.ctl(['rotate-password']);
        assert.equal(r.code, 2, tail(r));
        assert.match(r.stderr, /stdin is not a terminal, so pass --yes/);
        notLeaked(r);
        assert.equal((await login(oldPassword)).exitCode, 0, 'the old password stopped working without --yes');
        assert.deepEqual(await containerIds(), ids, 'containers changed without --yes');
      }, [STARTED]);

    const ROTATED = step(
      'rotate-password --yes: exit 0, the old password is refused and the new one works, postgres is the same container, every service healthy',
      async (t) => {
        // How long the frontend did not answer, asked with Temporal's CLI as a user would, beside the rotation.
        const outage = watchOutage(async () => (await cli(['operator', 'cluster', 'health'])).code === 0);
        const r = await run.ctl(['rotate-password', '--yes', '--timeout', '300s']);
        const unavailableMs = await outage.stop();
        t.diagnostic(
          `rotate-password took ${r.ms} ms; the frontend did not answer for ${Math.round(unavailableMs)} ms`,
        );
        for (const line of r.stderr.split('\n').filter((l) => /docker_container|ALTER ROLE|healthy after/.test(l)))
          t.diagnostic(line.trim());
        assert.equal(r.code, 0, tail(r));
        notLeaked(r);
        assert.match(r.stderr, /changed the password of temporal in \S+-postgresql \(ALTER ROLE\)/);
        const refused = await login(oldPassword);
        assert.notEqual(refused.exitCode, 0, 'the old password still logs in');
        assert.match(refused.stderr, /password authentication failed/);
        assert.equal((await login(NEW_PASSWORD)).exitCode, 0, 'the new password does not log in');
        const now = await containerIds();
        assert.equal(now.postgresql, ids.postgresql, 'the postgres container was replaced');
        assert.notEqual(now.server, ids.server, 'the server still runs with the old password');
        await assertAllHealthy(run);
        assert.ok(Number.isFinite(unavailableMs), 'the frontend was still down when rotate-password returned');
      },
      [REFUSED],
    );

    step('the workflow is still running; signalled, a worker completes it', async () => {
      assert.equal(await describeWorkflow(), 'WORKFLOW_EXECUTION_STATUS_RUNNING');
      const done = await signalWorker(loadTestEnv() as TestEnv, client, 'finish', WORKFLOW_ID, 'after rotation');
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.doc?.result, 'signalled: after rotation');
      assert.equal(await describeWorkflow(), 'WORKFLOW_EXECUTION_STATUS_COMPLETED');
    }, [ROTATED]);

    step('start afterwards passes the data checks and finds the cluster as configured; a second rotate-password only applies', async () => {
      const start = await run.ctl(['start', '--timeout', '120s']);
      assert.equal(start.code, 0, tail(start));
      assert.match(start.stdout + start.stderr, /already running as configured/);
      const again = await run.ctl(['rotate-password', '--yes', '--timeout', '120s']);
      assert.equal(again.code, 0, tail(again));
      assert.match(again.stderr, /already has the configured password/);
      notLeaked(again);
    }, [ROTATED]);
  },
);
