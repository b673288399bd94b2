// TEMPORAL_TARGET=swarm end to end on a real three-node Docker Swarm on this machine
// (scripts/swarm-lab: three engines in network namespaces, node1 the manager, a registry the nodes
// pull from), with real terraform and the provider: start refuses a swarm without the placement
// labels, then deploys the role topology as swarm services (the stores and the balancer on the
// labelled node1, the roles spread over the nodes); status names each task's node and the ring is
// complete; a Python SDK worker runs a workflow through the balancer's host-mode port on node1, and
// Temporal's CLI reaches it; a worker node lost under load, then back and the spread restored; stop,
// start and restart; backup and restore through a client on the overlay network; rotate-password; a
// rolling upgrade from the release before the default with a parked workflow that completes after
// it; logs of one task; down removes the services and keeps the store's volume on its node, and down
// --volumes removes it there: nothing of the project is left on any node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { after, describe } from 'node:test';
import Docker from 'dockerode';
import { setEnvFileKeys } from '../../src/config/env-file-edit.js';
import { dockerOptions } from '../../src/docker/client.js';
import { labelsFor, stackName } from '../../src/model/names-and-endpoints.js';
import { imageFor, requiredImages, volumes } from '../../src/model/service-facts.js';
import { NODE_LABELS } from '../../src/model/swarm-placement.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { loadConfig } from '../../src/project/load.js';
import { cliEnv, json, tail } from '../support/cli.js';
import { isCI, loadTestEnv, type TestEnv } from '../support/env.js';
import { e2eSuite, missingComponent, suiteOptions, type E2eRun } from './fixture.js';
import { backupRestoreRoundTrip } from './backup-round-trip.js';
import { buildImages, E2E_PROJECT, E2E_REGISTRY } from './provision.js';
import { upgradeReleases } from './upgrade-releases.js';
import {
  assertSignalledWorkflow,
  type ClientEnv,
  measureThroughput,
  signalWorker,
  startWorkload,
  temporalCli,
  THROUGHPUT_WORKFLOWS,
} from './worker.js';

const run$ = promisify(execFile);
const LAB = join(PROJECT_ROOT, 'scripts', 'swarm-lab');
const PROJECT = `${E2E_PROJECT}-swarm`;
const WORKFLOW_ID = `swarm-${Date.now().toString(36)}`;
/** Parked on a signal before the backup, the restore, the password rotation and the upgrade; completed after them. */
const PARKED_ID = `swarm-parked-${Date.now().toString(36)}`;
/** Started on the release before the default, upgraded to the default rolling. */
const { from: FROM, target: TARGET } = upgradeReleases();
/**
 * The services the spread is judged on, with their tasks: three frontends on three nodes, so a lost
 * node's frontend lands beside another and `start` must spread them again once the node is back.
 */
const SPREAD = { frontend: 3, history: 2 } as const;
const SPREAD_SERVICES = Object.keys(SPREAD) as (keyof typeof SPREAD)[];
/** Workflows of a timer then an activity, started before a node is lost and finishing after. */
const NODE_LOSS_LOAD = { count: 20, seconds: 15 };

/** Why the lab cannot run here: it needs root (network namespaces); under CI=true that is a failure. */
function labMissing(): string | false {
  const problem = missingComponent() || (process.getuid?.() === 0 ? false : 'the swarm lab needs root');
  if (problem && isCI()) throw new Error(`e2e swarm: ${problem}`);
  return problem;
}

/** The lab's KEY=VALUE facts (scripts/swarm-lab env). */
async function labFacts(): Promise<Record<string, string>> {
  const { stdout } = await run$('bash', [LAB, 'env']);
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** scripts/swarm-lab; `push` saves the images from the test environment's engine (its DOCKER_HOST). */
const lab = (...args: string[]) =>
  run$('bash', [LAB, ...args], {
    maxBuffer: 16 << 20,
    timeout: 600_000,
    env: { ...process.env, DOCKER_HOST: loadTestEnv()?.docker?.host ?? process.env.DOCKER_HOST ?? '' },
  });

describe(
  'TEMPORAL_TARGET=swarm: the role topology as swarm services over three nodes',
  suiteOptions(labMissing()),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let facts: Record<string, string>;
    let manager: Docker;
    let client: ClientEnv;
    /** The nodes the swarm runs a service's tasks on, one entry per running task (the manager's view). */
    const runningNodes = async (service: string): Promise<string[]> => {
      const [svc] = await manager.listServices({ filters: { name: [`${PROJECT}-${service}`] } });
      const tasks = (await manager.listTasks({
        filters: { service: [svc!.ID!], 'desired-state': ['running'] },
      })) as { NodeID: string; Status: { State: string } }[];
      const names = new Map(
        ((await manager.listNodes()) as { ID: string; Description?: { Hostname?: string } }[]).map((n) => [
          n.ID,
          n.Description?.Hostname ?? n.ID,
        ]),
      );
      return tasks.filter((t) => t.Status.State === 'running').map((t) => names.get(t.NodeID) ?? t.NodeID);
    };
    /** The ids of a service's running tasks. */
    const taskIds = async (service: string): Promise<string[]> => {
      const [svc] = await manager.listServices({ filters: { name: [`${PROJECT}-${service}`] } });
      const tasks = (await manager.listTasks({
        filters: { service: [svc!.ID!], 'desired-state': ['running'] },
      })) as { ID: string; Status: { State: string } }[];
      return tasks.filter((t) => t.Status.State === 'running').map((t) => t.ID);
    };
    /** psql as POSTGRES_USER with `password`, from a container on the cluster's overlay network: its exit code. */
    const loginWith = async (password: string): Promise<number> => {
      const image = imageFor(run.config, 'postgresql');
      const args = [
        '-H',
        facts.DOCKER_HOST!,
        'run',
        '--rm',
        '--network',
        `${PROJECT}-network`,
        '-e',
        `PGPASSWORD=${password}`,
      ];
      return run$('docker', [
        ...args,
        image,
        'psql',
        '-w',
        '-h',
        `${PROJECT}-postgresql`,
        '-U',
        run.config.POSTGRES_USER,
        '-d',
        'postgres',
        '-Atc',
        'select 1',
      ]).then(
        () => 0,
        (e: { code?: number }) => e.code ?? 1,
      );
    };
    after(async () => {
      if (process.env.E2E_KEEP !== '1') await lab('down').catch(() => undefined);
    });

    const STARTED = step(
      'start refuses a swarm without the placement labels (exit 1, the label named), then deploys once node1 carries them (exit 0)',
      async (t) => {
        const upStarted = performance.now();
        await lab('down'); // a fresh swarm: no labels, services or volumes of an earlier run
        await lab('up');
        facts = await labFacts();
        t.diagnostic(`swarm lab up in ${Math.round(performance.now() - upStarted)} ms`);
        manager = new Docker(dockerOptions({ DOCKER_HOST: facts.DOCKER_HOST! }));
        run = await suite.start({
          project: PROJECT,
          settings: {
            TEMPORAL_VISIBILITY: 'postgres',
            TEMPORAL_TOPOLOGY: 'roles',
            NUM_HISTORY_SHARDS: '16',
            TEMPORAL_FRONTEND_REPLICAS: String(SPREAD.frontend),
            TEMPORAL_HISTORY_REPLICAS: String(SPREAD.history),
            TEMPORAL_VERSION: FROM,
          },
          ctlEnv: { DOCKER_HOST: facts.DOCKER_HOST! },
        });
        for (const note of run.notes) t.diagnostic(note);
        // The stand-in images, built on the test environment's engine, into the registry the nodes pull from.
        const registry = `${facts.SWARM_REGISTRY}/${E2E_REGISTRY.replace(/^localhost\//, '')}`;
        // The default release's images too, for the rolling upgrade.
        const release = join(run.tmp, `release-${TARGET}.env`);
        await writeFile(release, `${await readFile(run.envFile, 'utf8')}TEMPORAL_VERSION=${TARGET}\n`);
        await buildImages(release, { ...cliEnv(), DOCKER_HOST: run.env.DOCKER_HOST ?? '' });
        const upgraded = loadConfig({ envFile: release, env: cliEnv() }).config;
        // As the swarm target needs them (its docker CLI image too), for both releases.
        const onSwarm = (c: typeof upgraded) => requiredImages({ ...c, TEMPORAL_TARGET: 'swarm' });
        const images = [...new Set([...onSwarm(run.config), ...onSwarm(upgraded)])];
        const pushStarted = performance.now();
        await lab('push', ...images.map((ref) => `${ref}=${ref.replace(`${E2E_REGISTRY}/`, `${registry}/`)}`));
        t.diagnostic(`images pushed in ${Math.round(performance.now() - pushStarted)} ms`);
        setEnvFileKeys(
          run.envFile,
          { TEMPORAL_TARGET: 'swarm', TEMPORAL_IMAGE_REGISTRY: registry, TEMPORAL_ENDPOINT_HOST: facts.SWARM_NODE1! },
          'the suite deploys to the swarm lab',
        );
        run.config = loadConfig({ envFile: run.envFile, env: cliEnv() }).config;

        const unlabelled = await run.ctl(['start', '--timeout', '120s']);
        assert.equal(unlabelled.code, 1, tail(unlabelled));
        assert.match(
          unlabelled.stderr,
          new RegExp(`no ready node of the swarm is labelled ${NODE_LABELS.stores}=true`),
        );
        assert.deepEqual(
          await manager.listServices({ filters: { label: [`io.temporal-ctl.project=${PROJECT}`] } }),
          [],
        );

        for (const label of Object.values(NODE_LABELS))
          await run$('docker', ['-H', facts.DOCKER_HOST!, 'node', 'update', '--label-add', `${label}=true`, 'node1']);
        const r = await run.ctl(['start', '--timeout', '900s', '-o', 'json'], 960_000);
        t.diagnostic(`start on the swarm took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r));
        client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
        assert.equal(client.TEMPORAL_ADDRESS, `${facts.SWARM_NODE1}:${run.config.TEMPORAL_GRPC_PORT}`);
      },
    );

    step(
      "status: every service healthy, each task's node named, the roles spread over the nodes, the ring complete; plan finds nothing to change",
      async (t) => {
        const r = await run.ctl(['status', '-o', 'json', '--wait', '--timeout', '120s']);
        assert.equal(r.code, 0, tail(r));
        const doc = json<StatusDocument>(r);
        for (const s of doc.services) t.diagnostic(`${s.instance}: ${s.container?.node ?? '-'} ${s.detail}`);
        assert.ok(
          doc.services.every((s) => s.healthy),
          JSON.stringify(doc.services),
        );
        assert.equal(doc.ring?.complete, true, JSON.stringify(doc.ring));
        const nodeOf = (instance: string) => doc.services.find((s) => s.instance === instance)?.container?.node;
        assert.equal(nodeOf('postgresql'), 'node1', 'the store on the stores node');
        assert.equal(nodeOf('frontend-lb'), 'node1', 'the balancer on the edge node');
        const roleNodes = new Set(
          doc.services
            .filter((s) => /^(history|frontend|matching|worker)-\d+$/.test(s.instance))
            .map((s) => s.container?.node),
        );
        assert.ok(roleNodes.size >= 2, `the roles run on ${[...roleNodes].join(', ')}`);
        // What the provider reads back is what the stack declares: no change pending after the apply.
        const plan = await run.ctl(['plan', '--detailed-exitcode']);
        if (plan.code !== 0) {
          // terraform's own account of what differs, from the directory the CLI synthesized into.
          const dir = join(run.cli.packageRoot, 'cdktf.out', 'stacks', stackName(run.config));
          const shown = await run$('terraform', [`-chdir=${dir}`, 'plan', '-no-color'], {
            env: run.env,
            maxBuffer: 64 << 20,
          }).then(
            (r) => r.stdout,
            (e: { stdout?: string }) => e.stdout ?? '',
          );
          for (const line of shown
            .split('\n')
            .filter((l) => /^\s*[~+-] /.test(l))
            .slice(0, 120))
            t.diagnostic(line);
        }
        assert.equal(plan.code, 0, tail(plan));
        // The swarm's own view: one service per service, its instances as running tasks.
        const history = await manager.listServices({ filters: { name: [`${PROJECT}-history`] } });
        assert.equal(history[0]?.Spec?.Mode?.Replicated?.Replicas, 2);
      },
      [STARTED],
    );

    const PARKED = step(
      `a Python SDK worker runs a workflow through the balancer's port on node1, parks another on a signal, and runs ${THROUGHPUT_WORKFLOWS} more; Temporal's CLI reaches the cluster`,
      async (t) => {
        const env = loadTestEnv() as TestEnv;
        await assertSignalledWorkflow(env, client, WORKFLOW_ID, 'on a swarm');
        const parked = await signalWorker(env, client, 'start', PARKED_ID);
        assert.equal(parked.code, 0, parked.stderr);
        const load = await measureThroughput(env, client);
        t.diagnostic(
          `throughput: ${THROUGHPUT_WORKFLOWS} signalled workflows in ${load.ms} ms (${load.perSecond}/s) through the balancer on node1`,
        );
        const health = await temporalCli(env, client, ['operator', 'cluster', 'health']);
        assert.equal(health.code, 0, health.stderr);
        assert.match(health.stdout, /SERVING/);
      },
      [STARTED],
    );

    step(
      "a worker node's engine stopped in the middle of a workload: status names the node, the swarm starts its tasks on the others, every workflow completes; start after it is back exits 0",
      async (t) => {
        const env = loadTestEnv() as TestEnv;
        const before = json<StatusDocument>(await run.ctl(['status', '-o', 'json']));
        // Not node1: it holds the stores and the balancer, which a lost node takes with it.
        const roleTasks = new Map<string, number>();
        for (const s of before.services)
          if (
            /^(history|frontend|matching|worker)-\d+$/.test(s.instance) &&
            s.container?.node &&
            s.container.node !== 'node1'
          )
            roleTasks.set(s.container.node, (roleTasks.get(s.container.node) ?? 0) + 1);
        const victim = [...roleTasks].sort((a, b) => b[1] - a[1])[0]?.[0];
        assert.ok(victim, 'a role task runs on node2 or node3');
        t.diagnostic(`stopping ${victim}, which runs ${roleTasks.get(victim)} role task(s)`);
        const load = startWorkload(env, client, NODE_LOSS_LOAD.count, NODE_LOSS_LOAD.seconds);
        await load.started;
        const stoppedAt = performance.now();
        await lab('node-stop', victim.replace('node', ''));
        // status says so once the manager gives up on the node (its heartbeats stop).
        let named = false;
        while (!named && performance.now() - stoppedAt < 120_000) {
          const r = await run.ctl(['status', '-o', 'json']);
          named = json<StatusDocument>(r).warnings.some(
            (w) => w.startsWith(`swarm node ${victim} `) && / is down:/.test(w),
          );
          if (!named) await new Promise((ok) => setTimeout(ok, 1000));
        }
        assert.ok(named, `status named ${victim} as down`);
        const namedMs = Math.round(performance.now() - stoppedAt);
        // Every instance runs again, on the ready nodes, and the ring is whole.
        let healthy = false;
        let doc: StatusDocument | undefined;
        while (!healthy && performance.now() - stoppedAt < 240_000) {
          doc = json<StatusDocument>(await run.ctl(['status', '-o', 'json']));
          healthy = doc.ring?.complete === true && doc.services.every((s) => s.healthy && s.container?.node !== victim);
          if (!healthy) await new Promise((ok) => setTimeout(ok, 2000));
        }
        assert.ok(healthy, JSON.stringify(doc?.services.map((s) => [s.instance, s.container?.node, s.detail])));
        const rescheduledMs = Math.round(performance.now() - stoppedAt);
        const done = await load.done;
        assert.equal(done.code, 0, done.stderr.slice(-3000));
        assert.deepEqual([done.doc?.started, done.doc?.completed], [NODE_LOSS_LOAD.count, NODE_LOSS_LOAD.count]);
        t.diagnostic(
          `${victim} named down after ${namedMs} ms; every task running on the others and the ring complete after ${rescheduledMs} ms; ${NODE_LOSS_LOAD.count} workflows completed in ${done.doc?.ms} ms, client calls failed after the SDK's retries: ${done.doc?.clientErrors}`,
        );
        // Three frontends on the two nodes left: two of them side by side.
        const doubled = await runningNodes('frontend');
        assert.ok(new Set(doubled).size < doubled.length, `frontends on ${doubled.join(', ')}`);
        await lab('node-start', victim.replace('node', ''));
        const again = await run.ctl(['start', '--timeout', '600s', '-o', 'json'], 660_000);
        assert.equal(again.code, 0, tail(again));
        const rebalanced = json<{ events: { type: string; services?: string[] }[] }>(again).events.find(
          (e) => e.type === 'rebalanced',
        );
        t.diagnostic(`start after ${victim} came back (${again.ms} ms) spread ${rebalanced?.services?.join(', ')}`);
        assert.ok(rebalanced?.services?.includes(`${PROJECT}-frontend`), JSON.stringify(rebalanced));
        // The swarm's own account: each service's tasks on as many nodes.
        for (const service of SPREAD_SERVICES)
          assert.equal(new Set(await runningNodes(service)).size, SPREAD[service], `${service} spread`);
      },
      [STARTED],
    );

    step(
      'stop scales every service to zero (status exits 1), start brings every task back; restart history replaces both its tasks, restart history-2 is refused (exit 2)',
      async (t) => {
        const ours = { label: Object.entries(labelsFor(run.config)).map(([k, v]) => `${k}=${v}`) };
        const stop = await run.ctl(['stop']);
        assert.equal(stop.code, 0, tail(stop));
        const scaled = await manager.listServices({ filters: ours });
        assert.ok(scaled.length >= 6, scaled.map((s) => s.Spec?.Name).join(', '));
        for (const svc of scaled) assert.equal(svc.Spec?.Mode?.Replicated?.Replicas, 0, svc.Spec?.Name);
        for (const service of SPREAD_SERVICES)
          assert.deepEqual(await runningNodes(service), [], `${service} has no running task`);
        assert.equal((await run.ctl(['status'])).code, 1, 'a stopped cluster is unhealthy');
        const start = await run.ctl(['start', '--timeout', '600s'], 660_000);
        assert.equal(start.code, 0, tail(start));
        t.diagnostic(`start after stop took ${start.ms} ms`);
        for (const service of SPREAD_SERVICES)
          assert.equal((await runningNodes(service)).length, SPREAD[service], `${service} runs its tasks`);

        const one = await run.ctl(['restart', 'history-2']);
        assert.equal(one.code, 2, tail(one));
        assert.match(one.stderr, /on a swarm, name whole services \(history\)/);
        const before = new Set(await taskIds('history'));
        const restart = await run.ctl(['restart', 'history'], 600_000);
        assert.equal(restart.code, 0, tail(restart));
        t.diagnostic(`restart history (a rolling forced update) took ${restart.ms} ms`);
        const now = await taskIds('history');
        assert.equal(now.length, 2);
        assert.ok(
          now.every((id) => !before.has(id)),
          'both history tasks are new',
        );
        const healthy = await run.ctl(['status', '--wait', '--timeout', '300s']);
        assert.equal(healthy.code, 0, tail(healthy));
      },
      [STARTED],
    );

    step(
      'backup through a client container on the overlay network; restore: a workflow started after the backup is gone, the parked one is back',
      async (t) => {
        const { manifest, backupMs, restoreMs } = await backupRestoreRoundTrip(
          run,
          loadTestEnv() as TestEnv,
          client,
          PARKED_ID,
          '600s',
        );
        assert.equal(manifest.historyShards, 16);
        assert.equal(manifest.serverVersion, FROM);
        t.diagnostic(`backup ${manifest.totalBytes} bytes in ${backupMs} ms; restore ${restoreMs} ms`);
      },
      [PARKED],
    );

    step(
      'rotate-password: the new password logs in over the overlay network and the old one no longer does; the cluster is healthy on it',
      async (t) => {
        const old = run.config.POSTGRES_PASSWORD;
        const next = `swarm-rotated-${Date.now().toString(36)}`;
        setEnvFileKeys(run.envFile, { POSTGRES_PASSWORD: next }, 'the suite rotates the password');
        run.config = loadConfig({ envFile: run.envFile, env: cliEnv() }).config;
        const r = await run.ctl(['rotate-password', '--yes', '--timeout', '600s'], 660_000);
        assert.equal(r.code, 0, tail(r));
        t.diagnostic(`rotate-password took ${r.ms} ms`);
        assert.equal(await loginWith(next), 0, 'the new password logs in');
        assert.notEqual(await loginWith(old), 0, 'the old password is refused');
        const healthy = await run.ctl(['status', '--wait', '--timeout', '300s']);
        assert.equal(healthy.code, 0, tail(healthy));
      },
      [STARTED],
    );

    step(
      `upgrade --to ${TARGET} rolls every service through the swarm's update settings; the server reports ${TARGET}; the parked workflow completes`,
      async (t) => {
        const env = loadTestEnv() as TestEnv;
        const r = await run.ctl(['upgrade', '--to', TARGET, '--yes', '--no-backup', '--timeout', '900s'], 960_000);
        assert.equal(r.code, 0, tail(r));
        t.diagnostic(`upgrade ${FROM} -> ${TARGET} on the swarm took ${r.ms} ms`);
        const system = await temporalCli(env, client, ['operator', 'cluster', 'system', '-o', 'json']);
        assert.equal(system.code, 0, system.stderr);
        assert.match(system.stdout, new RegExp(`"serverVersion":\\s*"${TARGET.replace(/\./g, '\\.')}"`));
        const done = await signalWorker(env, client, 'finish', PARKED_ID, 'after the swarm upgrade');
        assert.equal(done.code, 0, done.stderr);
      },
      [PARKED],
    );

    step('logs history-2 -o json: the lines of that task only, read through the manager from whichever node runs it', async () => {
      const r = await run.ctl(['logs', 'history-2', '--tail', '20', '-o', 'json']);
      assert.equal(r.code, 0, tail(r));
      const lines = r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { instance: string; text: string });
      assert.ok(lines.length > 0, 'history-2 logged lines');
      assert.deepEqual([...new Set(lines.map((l) => l.instance))], ['history-2']);
    }, [STARTED]);

    step(
      'down removes the services and the network and keeps the store volume on node1; down --volumes then removes it: nothing of the project is left on any node',
      async (t) => {
        const r = await run.ctl(['down']);
        assert.equal(r.code, 0, tail(r));
        const ours = { label: Object.entries(labelsFor(run.config)).map(([k, v]) => `${k}=${v}`) };
        assert.deepEqual(await manager.listServices({ filters: ours }), []);
        // The manager drops a removed swarm network from its own list a moment after the swarm does.
        const deadline = Date.now() + 30_000;
        while ((await manager.listNetworks({ filters: ours })).length > 0 && Date.now() < deadline)
          await new Promise((ok) => setTimeout(ok, 500));
        assert.deepEqual(await manager.listNetworks({ filters: ours }), []);
        const kept = (await manager.listVolumes()).Volumes.map((v) => v.Name);
        for (const v of volumes(run.config)) assert.ok(kept.includes(v.name), `${v.name} kept on node1`);

        const gone = await run.ctl(['down', '--volumes', '--yes', '-o', 'json'], 300_000);
        assert.equal(gone.code, 0, tail(gone));
        t.diagnostic(`down --volumes on the swarm took ${gone.ms} ms`);
        // Each node's own engine: no container, volume or network of the project, whichever node held what.
        const project = { label: [`io.temporal-ctl.project=${PROJECT}`] };
        for (const node of ['1', '2', '3']) {
          const engine = new Docker(dockerOptions({ DOCKER_HOST: facts[`SWARM_NODE${node}_DOCKER_HOST`]! }));
          const left = [
            ...(await engine.listContainers({ all: true, filters: project })).map((c) => c.Names.join(',')),
            ...((await engine.listVolumes({ filters: project })).Volumes ?? []).map((v) => `volume ${v.Name}`),
            ...(await engine.listNetworks({ filters: project })).map((n) => `network ${n.Name}`),
          ];
          assert.deepEqual(left, [], `node${node}`);
        }
        assert.deepEqual(await manager.listServices({ filters: project }), [], 'the removal job is gone too');
      },
      [STARTED],
    );
  },
);
