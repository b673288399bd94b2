// End to end on the real Docker engine, through the CLI a user installs: start (terraform apply of
// the CDKTF stack through the real kreuzwerker/docker provider) -> at once a Temporal SDK worker on
// the address and namespace start printed -> the engine and the state hold the stack -> every
// service healthy -> the plan is empty -> images -> namespace (and a worker in it at once) -> logs ->
// stop -> start -> the namespace survived -> a password change is planned as a replace and refused
// without --yes -> the visibility switch and back -> down --volumes -> nothing of the project left, images kept. Every expectation comes
// from the service model (src/model/names-and-endpoints.ts) applied to the run's config. Provisioning and
// cleanup: ./fixture.ts (E2E_KEEP=1, E2E_PACK=0, TEMPORAL_CTL_BIN: see there and ./installed-cli.ts).
// Run: `bash scripts/e2e [--keep]` or `node --test dist/test/e2e/*.test.js`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, type TestContext } from 'node:test';
import { containerName, endpoints, networkName, stackName } from '../../src/model/names-and-endpoints.js';
import { enabledServices, requiredImages, serviceDecl, volumeName } from '../../src/model/service-facts.js';
import { type ServiceName } from '../../src/model/services.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { EnsureResult } from '../../src/namespaces/ensure.js';
import type { NamespaceView } from '../../src/namespaces/namespace-view.js';
import { volumeIdsInState } from '../../stacks/state-volumes.js';
import { json, tail } from '../support/cli.js';
import { requireTestEnv } from '../support/env.js';
import { engineState, imageLabels, packageStateFile, stateResources, userStateFile } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertHardened } from './hardening.js';
import { assertAllHealthy, assertDownRemovesAll } from './healthy.js';
import { runWorker, temporalCli, type ClientEnv } from './worker.js';

const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const RETENTION_3D = 3 * 24 * 3600;
/** The label scripts/build-e2e-images puts on every stand-in (a pulled image would not carry it). */
const STAND_IN_LABEL = 'io.temporal-ctl.e2e-image';

describe('temporal-ctl end to end on the real Docker engine', suiteOptions(), () => {
  const suite = e2eSuite();
  const { step } = suite.steps;
  let run: E2eRun;
  let namespaceId = '';
  /** TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE as `start -o json` printed them. */
  let client: ClientEnv | undefined;

  const c = () => run.config;
  const services = () => enabledServices(c());
  /** The data volumes start created (seen on the engine, labelled by the stack). */
  let dataVolumes: string[] = [];
  /** The visibility index's uuid after the first start (a recreated index gets a new one). */
  let indexUuid = '';
  /** GET on Elasticsearch over its published port, as JSON. */
  const elasticsearch = async (path: string): Promise<Record<string, unknown>> => {
    const r = await fetch(`${endpoints(c()).elasticsearch}${path}`);
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${await r.clone().text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  const indexUuidNow = async (): Promise<string> => {
    const index = c().ELASTICSEARCH_INDEX;
    return ((await elasticsearch(`/${index}/_settings`))[index] as { settings: { index: { uuid: string } } }).settings
      .index.uuid;
  };

  // A step, not a before() hook: a failing hook cancels every test (counted as cancelled, not failed).
  const PROVISION = step('provisions: the stand-in images, the provider mirror, the CLI under test', async (t) => {
    run = await suite.start();
    for (const note of run.notes) t.diagnostic(note);
  });

  step("the CLI under test answers --version with this checkout's version; a packed one ships no tests", async () => {
    const r = await run.ctl(['--version'], 30_000);
    assert.equal(r.code, 0, tail(r));
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), version);
    if (run.cli.how === 'packed and installed globally')
      assert.ok(!existsSync(join(run.cli.packageRoot, 'dist', 'test')), 'dist/test is shipped');
  }, [PROVISION]);

  const START = step(
    'start deploys the stack through terraform and the kreuzwerker/docker provider (exit 0) and prints how clients connect',
    async (t) => {
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      const doc = json<{ clientEnv?: ClientEnv; events: { type: string; result?: EnsureResult; reason?: string }[] }>(
        r,
      );
      for (const e of doc.events) {
        if (e.type === 'namespace-waiting') t.diagnostic(`waited for the namespace registry: ${e.reason}`);
        if (e.type === 'namespace-ensured')
          t.diagnostic(
            `namespace ${e.result?.name}: ${e.result?.action}, usable by workers after ${e.result?.usableAfterMs} ms`,
          );
      }
      client = doc.clientEnv;
      assert.ok(client?.TEMPORAL_ADDRESS && client.TEMPORAL_NAMESPACE, `no clientEnv in start's document: ${r.stdout}`);
    },
    [PROVISION],
  );

  /**
   * Runs the Python SDK worker (workflow + activity, schedule, visibility list and count) and checks
   * the server's state with Temporal's own CLI: the activity completed in the workflow's history,
   * the schedule started a run that completed, the schedule is gone.
   */
  async function workerRuns(t: TestContext, on: ClientEnv): Promise<void> {
    const env = requireTestEnv();
    const w = await runWorker(env, on, `e2e-${on.TEMPORAL_NAMESPACE}`);
    t.diagnostic(`worker (${w.report?.sdk}) on ${on.TEMPORAL_ADDRESS}/${on.TEMPORAL_NAMESPACE}: ${w.ms} ms`);
    assert.equal(w.code, 0, `worker exit ${w.code}\n${w.stderr.trim()}\n${w.stdout.trim()}`);
    const report = w.report!;
    assert.deepEqual([report.address, report.namespace], [on.TEMPORAL_ADDRESS, on.TEMPORAL_NAMESPACE]);
    assert.equal(report.workflow.result, 'Hello, temporal-ctl!');
    assert.ok(report.schedule.actions >= 1 && report.schedule.deleted, JSON.stringify(report.schedule));
    const ran = report.schedule.completedRun.workflowId;
    for (const id of [report.workflow.id, ran]) assert.ok(report.visibility.listed.includes(id), `${id} not listed`);
    assert.ok(report.visibility.count >= 2, `count ${report.visibility.count}`);

    const history = await temporalCli(env, on, [
      'workflow',
      'show',
      '-w',
      report.workflow.id,
      '-r',
      report.workflow.runId,
      '-o',
      'json',
    ]);
    assert.equal(history.code, 0, history.stderr);
    const types = (JSON.parse(history.stdout) as { events: { eventType: string }[] }).events.map((e) => e.eventType);
    assert.ok(types.includes('EVENT_TYPE_ACTIVITY_TASK_COMPLETED'), types.join(', '));
    assert.equal(types.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    const query = `TemporalScheduledById = '${report.schedule.id}' AND ExecutionStatus = 'Completed'`;
    const scheduled = await temporalCli(env, on, ['workflow', 'list', '-q', query, '-o', 'json']);
    assert.equal(scheduled.code, 0, scheduled.stderr);
    const runs = (JSON.parse(scheduled.stdout || '[]') as { execution: { workflowId: string } }[]).map(
      (x) => x.execution.workflowId,
    );
    assert.ok(runs.includes(ran), `the CLI lists no completed run of ${report.schedule.id}: ${runs.join(', ')}`);
    const gone = await temporalCli(env, on, ['schedule', 'describe', '-s', report.schedule.id]);
    assert.notEqual(gone.code, 0, `schedule ${report.schedule.id} still exists`);
    assert.match(gone.stderr, /not found/i);
  }

  // Right after start, before any other step gives the namespace time to settle.
  step(
    'at once, a Temporal SDK worker (PyPI temporalio) runs a workflow with an activity and a schedule, and visibility lists and counts them',
    async (t) => {
      await workerRuns(t, client!);
    },
    [START],
  );

  step('the engine runs one container per enabled service, named and labelled by the model, one-shot jobs exited 0, with its data volumes', async () => {
    const s = await engineState(run.docker, c().TEMPORAL_PROJECT);
    assert.deepEqual(sorted(s.containers.map((x) => x.service)), sorted(services()));
    for (const x of s.containers) {
      assert.equal(x.name, containerName(c(), x.service as ServiceName));
      assert.ok(
        x.state === 'running' || (x.state === 'exited' && x.exitCode === 0),
        `${x.name} is ${x.state} (exit ${x.exitCode})`,
      );
    }
    assert.deepEqual(s.networks, [networkName(c())]);
    assert.ok(s.volumes.length > 0, 'no data volume');
    for (const v of s.volumes) {
      assert.equal(v.stack, stackName(c()), `${v.name} is labelled with stack ${v.stack}`);
      assert.ok(
        services().includes(v.service as ServiceName),
        `${v.name} belongs to service "${v.service}", which is not enabled`,
      );
    }
    dataVolumes = sorted(s.volumes.map((v) => v.name));
  }, [START]);

  step(
    'every container runs hardened: no-new-privileges, capabilities dropped, pids limit, rotated logs, no swap (docker inspect)',
    async (t) => {
      for (const line of await assertHardened(run)) t.diagnostic(line);
    },
    [START],
  );

  step('terraform state holds one kreuzwerker/docker docker_container per enabled service', async () => {
    const file = userStateFile(run.workdir, c());
    const resources = stateResources(file);
    assert.ok(resources, `no state file ${file}`);
    const containers = resources.filter((r) => r.type === 'docker_container');
    for (const r of containers) assert.match(r.provider, /registry\.terraform\.io\/kreuzwerker\/docker/);
    const names = containers.flatMap((r) => r.instances.map((i) => String(i.attributes.name)));
    assert.deepEqual(sorted(names), sorted(services().map((s) => containerName(c(), s))));
  }, [START]);

  step('the state and the synthesized JSON are in .temporal-ctl/ beside temporal.env, nothing in the installed package', async () => {
    const dir = join(run.workdir, '.temporal-ctl');
    assert.ok(existsSync(userStateFile(run.workdir, c())), `no ${userStateFile(run.workdir, c())}`);
    const synthesized = existsSync(dir)
      ? readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('cdk.tf.json'))
      : [];
    assert.ok(synthesized.length > 0, `no cdk.tf.json under ${dir}`);
    assert.ok(
      !existsSync(packageStateFile(run.cli.packageRoot, c())),
      `state written into the package: ${packageStateFile(run.cli.packageRoot, c())}`,
    );
    const packaged = join(run.cli.packageRoot, 'cdktf.out', 'stacks', stackName(c()));
    assert.ok(!existsSync(packaged), `synthesized JSON written into the package: ${packaged}`);
  }, [START]);

  step('status --json --wait reports every enabled service healthy, from its container', () => assertAllHealthy(run), [
    START,
  ]);

  step('the plan is empty right after start: plan --detailed-exitcode exits 0 and says so', async () => {
    const r = await run.ctl(['plan', '--detailed-exitcode']);
    assert.equal(r.code, 0, tail(r));
    assert.match(r.stdout, /no changes/);
  }, [START]);

  step("the default visibility store: the schema job's Elasticsearch branch created ELASTICSEARCH_INDEX with Temporal's mapping", async () => {
    assert.equal(c().TEMPORAL_VISIBILITY, 'elasticsearch', 'the e2e runs the default visibility store');
    const index = c().ELASTICSEARCH_INDEX;
    const mapping = (await elasticsearch(`/${index}/_mapping`))[index] as {
      mappings: { properties: Record<string, { type: string }> };
    };
    // Fields of the server's index template, with the types the assembled modules provide.
    assert.equal(mapping.mappings.properties.WorkflowType?.type, 'keyword');
    assert.equal(mapping.mappings.properties.StartTime?.type, 'date_nanos');
    const root = (await elasticsearch('/')) as { version: { number: string } };
    assert.equal(root.version.number, c().ELASTICSEARCH_VERSION);
    const logs = await run.ctl(['logs', 'schema']);
    assert.equal(logs.code, 0, tail(logs));
    assert.match(logs.stdout, new RegExp(`elasticsearch: create-index ${index}`));
    assert.doesNotMatch(logs.stdout, /database temporal_visibility/, 'no SQL visibility database with Elasticsearch');
    indexUuid = await indexUuidNow();
  }, [START]);

  step('images list: every required image is on the engine as a local stand-in (nothing was pulled)', async () => {
    const r = await run.ctl(['images', 'list', '--json']);
    assert.equal(r.code, 0, tail(r));
    const doc = json<{ images: { image: string; present: boolean }[]; missing: string[] }>(r);
    assert.deepEqual(doc.missing, []);
    assert.deepEqual(sorted(doc.images.map((i) => i.image)), sorted(requiredImages(c())));
    for (const ref of requiredImages(c()))
      assert.equal((await imageLabels(run.docker, ref))?.[STAND_IN_LABEL], 'true', `${ref} is not a local stand-in`);
  }, [START]);

  const CREATE = step('namespace create e2e --retention 3d creates it with a 3-day retention', async () => {
    const r = await run.ctl(['namespace', 'create', 'e2e', '--retention', '3d', '--json']);
    assert.equal(r.code, 0, tail(r));
    const ns = json<NamespaceView>(r);
    assert.equal(ns.retentionSeconds, RETENTION_3D);
    namespaceId = ns.id;
  }, [START]);

  step(
    'at once, the worker runs in namespace e2e',
    async (t) => {
      await workerRuns(t, { ...client!, TEMPORAL_NAMESPACE: 'e2e' });
    },
    [CREATE],
  );

  step('logs server --tail 20 prints at most 20 server log lines', async () => {
    const r = await run.ctl(['logs', 'server', '--tail', '20']);
    assert.equal(r.code, 0, tail(r));
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.ok(lines.length >= 1 && lines.length <= 20, `${lines.length} lines`);
    for (const l of lines) assert.match(l, /^server \| /);
    assert.ok(
      lines.some((l) => l.includes('"msg"')),
      'no structured server log line',
    );
  }, [START]);

  const STOP = step('stop leaves no container of the project running and keeps the data volumes', async () => {
    assert.ok(dataVolumes.length > 0, 'no data volume was seen after start');
    const r = await run.ctl(['stop']);
    assert.equal(r.code, 0, tail(r));
    const s = await engineState(run.docker, c().TEMPORAL_PROJECT);
    assert.deepEqual(
      s.containers.filter((x) => x.state === 'running').map((x) => x.name),
      [],
    );
    assert.deepEqual(sorted(s.volumes.map((v) => v.name)), dataVolumes);
  }, [START]);

  const RESTART = step(
    'start again after stop exits 0',
    async (t) => {
      const r = await run.ctl(['start', '--timeout', '300s']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
    },
    [STOP],
  );

  step('the hardening holds after stop + start (resumed containers, pids limits included)', async () => {
    await assertHardened(run);
  }, [RESTART]);

  step('the visibility index survived stop + start on its volume (same uuid: not recreated)', async () => {
    assert.ok(indexUuid, 'no index uuid was read after the first start');
    assert.equal(await indexUuidNow(), indexUuid);
  }, [RESTART]);

  step('namespace e2e survived stop + start (same id, 3-day retention)', async () => {
    const r = await run.ctl(['namespace', 'describe', 'e2e', '--json']);
    assert.equal(r.code, 0, tail(r));
    const ns = json<NamespaceView>(r);
    assert.equal(ns.id, namespaceId);
    assert.equal(ns.retentionSeconds, RETENTION_3D);
  }, [CREATE, RESTART]);

  /** Appends `lines` to the run's temporal.env (later lines win), or restores the file as provisioned. */
  const editEnv = (lines: string[]) => {
    const file = join(run.workdir, 'temporal.env');
    if (!provisionedEnv) provisionedEnv = readFileSync(file, 'utf8');
    writeFileSync(file, [provisionedEnv, ...lines, ''].join('\n'));
  };
  /** Runs start after editEnv(lines); --yes: the visibility switch replaces the server. */
  const startWith = async (lines: string[]) => {
    editEnv(lines);
    return run.ctl(['start', '-o', 'json', '--timeout', '300s', '--yes']);
  };
  let provisionedEnv = '';

  step(
    'a POSTGRES_PASSWORD change: plan shows the server replaced and postgresql untouched (its env counts only at initdb) (exit 3); start, even with --yes, refuses it against the data (exit 2) without printing it, naming rotate-password, and the server keeps running',
    async (t) => {
      const ids = async () =>
        Promise.all(
          (['postgresql', 'server'] as const).map(async (s) => {
            const x = await run.docker.getContainer(containerName(c(), s)).inspect();
            return [s, x.Id, x.State.StartedAt, x.State.Running] as const;
          }),
        );
      const before = await ids();
      const state = readFileSync(userStateFile(run.workdir, c()), 'utf8');
      try {
        editEnv(['POSTGRES_PASSWORD=changed-after-the-first-start']);
        const plan = await run.ctl(['plan', '--detailed-exitcode', '-o', 'json']);
        assert.equal(plan.code, 3, tail(plan));
        const changes = json<{
          changes: { name: string; action: string; forcedBy?: string[]; changedEnv?: string[] }[];
        }>(plan).changes;
        const server = changes.find((x) => x.name === 'server');
        assert.equal(server?.action, 'replace', JSON.stringify(changes));
        assert.deepEqual(server?.forcedBy, ['env']);
        assert.deepEqual(server?.changedEnv, ['POSTGRES_PWD']);
        assert.equal(
          changes.find((x) => x.name === 'postgresql'),
          undefined,
          JSON.stringify(changes),
        );
        // --yes would let the plan replace postgres and the server: the login check against the
        // data refuses before any plan, since the volume keeps the first start's password.
        const r = await run.ctl(['start', '--timeout', '300s', '--yes']);
        t.diagnostic(`start refused after ${r.ms} ms`);
        assert.equal(r.code, 2, tail(r));
        assert.match(r.stderr, /POSTGRES_PASSWORD \(or POSTGRES_USER\) does not match the data in volume/);
        assert.match(r.stderr, /temporal-ctl rotate-password/);
        assert.ok(!`${r.stdout}${r.stderr}`.includes('changed-after-the-first-start'), 'the password was printed');
        assert.doesNotMatch(r.stderr, /downtime: replacing/, 'refused before the plan guard');
      } finally {
        editEnv([]);
      }
      assert.deepEqual(await ids(), before);
      assert.equal(readFileSync(userStateFile(run.workdir, c()), 'utf8'), state);
      await assertAllHealthy(run);
    },
    [RESTART],
  );

  step('a NUM_HISTORY_SHARDS change is refused (exit 2) by the facts the first start recorded, and the server keeps running', async () => {
    const server = await run.docker.getContainer(containerName(c(), 'server')).inspect();
    const facts = join(run.workdir, c().TEMPORAL_STATE_DIR, `facts.${stackName(c())}.json`);
    assert.equal(JSON.parse(readFileSync(facts, 'utf8')).NUM_HISTORY_SHARDS, c().NUM_HISTORY_SHARDS);
    try {
      const r = await startWith([`NUM_HISTORY_SHARDS=${c().NUM_HISTORY_SHARDS * 2}`]);
      assert.equal(r.code, 2, tail(r));
      assert.match(
        r.stdout,
        new RegExp(`NUM_HISTORY_SHARDS is fixed at ${c().NUM_HISTORY_SHARDS} by the cluster's first start`),
      );
    } finally {
      editEnv([]);
    }
    const now = await run.docker.getContainer(server.Id).inspect();
    assert.equal(now.State.StartedAt, server.State.StartedAt);
    assert.equal(now.State.Running, true);
  }, [RESTART]);

  const SWITCH_OFF = step(
    "the visibility switch to postgres keeps Elasticsearch's volume, its data and its place in the state (start warns)",
    async (t) => {
      const volume = volumeName(c(), 'elasticsearch')!;
      const docs = ((await elasticsearch(`/${c().ELASTICSEARCH_INDEX}/_count`)) as { count: number }).count;
      assert.ok(docs > 0, 'the workers left no visibility document to keep');
      const r = await startWith(['TEMPORAL_VISIBILITY=postgres']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      const warnings = json<{ events: { type: string; message?: string }[] }>(r)
        .events.filter((e) => e.type === 'warning')
        .map((e) => e.message ?? '');
      assert.ok(
        warnings.some((m) => m.includes(volume)),
        `no warning names ${volume}: ${warnings.join(' | ')}`,
      );
      const s = await engineState(run.docker, c().TEMPORAL_PROJECT);
      assert.ok(!s.containers.some((x) => x.service === 'elasticsearch'), 'the Elasticsearch container is still there');
      assert.ok(
        s.volumes.some((v) => v.name === volume),
        `${volume} was deleted`,
      );
      const held = volumeIdsInState(userStateFile(run.workdir, c()));
      assert.ok(held.includes(serviceDecl('elasticsearch').volume!.resourceId), `state holds ${held.join(', ')}`);
    },
    [RESTART],
  );

  step(
    'switching back to elasticsearch finds the same index (same uuid) with its documents, on the kept volume',
    async (t) => {
      const r = await startWith([]);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      assert.equal(await indexUuidNow(), indexUuid);
      const docs = ((await elasticsearch(`/${c().ELASTICSEARCH_INDEX}/_count`)) as { count: number }).count;
      assert.ok(docs > 0, 'the index came back empty');
    },
    [SWITCH_OFF],
  );

  step('down --volumes --yes leaves no container, network or volume of the project, an empty terraform state and no first-start facts', async () => {
    await assertDownRemovesAll(run);
    assert.ok(!existsSync(join(run.workdir, c().TEMPORAL_STATE_DIR, `facts.${stackName(c())}.json`)), 'facts kept');
  }, [START]);

  step('the images stay on the engine after down (docker_image keep_locally)', async () => {
    for (const ref of requiredImages(c())) assert.ok(await imageLabels(run.docker, ref), `${ref} was removed`);
  }, [START]);
});
