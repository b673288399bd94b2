// TEMPORAL_TOPOLOGY=roles end to end on the real engine with real terraform and the provider: start
// on single (the release before the default, test/e2e/upgrade-releases.ts) with a workflow parked on a signal, then switch to roles with frontend x2, history x2,
// matching x1, worker x1 behind the nginx balancer (the plan deletes the server, keeps every volume) -> one container per
// instance, every instance in the server's ring (Temporal's tdbg agrees), the history shards split
// between the two history instances -> the Python SDK worker runs its workflow, schedule and
// visibility query through the balancer, and calls reach both frontends -> a frontend killed while a
// workload waits on timers: status names it (exit 1), every workflow completes, `start` brings it
// back -> a history instance killed likewise: its shards move to the other, every workflow
// completes -> a rolling upgrade from the release before the default to the default while a client
// calls DescribeNamespace through the balancer every 100 ms: one instance at a time, each healthy
// before the next is created (the engine's events), no call failed -> scale history=3, then
// history=1, under a workload: the shards follow -> back to single, and the parked workflow completes
// -> down --volumes. Its own project name (SQL visibility, for speed).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, type TestContext } from 'node:test';
import { containerName, LABELS } from '../../src/model/names-and-endpoints.js';
import { enabledInstances } from '../../src/model/service-facts.js';
import { SERVER_ROLES } from '../../src/model/server-roles.js';
import type { StatusDocument } from '../../src/probes/document.js';
import type { RoleRing } from '../../src/probes/ring-probe.js';
import { execIn } from '../../src/docker/container-exec.js';
import { cliEnv, json, tail } from '../support/cli.js';
import { loadConfig } from '../../src/project/load.js';
import { requireTestEnv } from '../support/env.js';
import { engineState } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy, assertDownRemovesAll } from './healthy.js';
import { buildImages, E2E_PROJECT } from './provision.js';
import { upgradeReleases } from './upgrade-releases.js';
import {
  measureThroughput,
  runWorker,
  signalWorker,
  startDescribePoller,
  startWorkload,
  temporalCli,
  THROUGHPUT_WORKFLOWS,
  type ClientEnv,
} from './worker.js';
import { setEnvFileKeys } from '../../src/config/env-file-edit.js';

const PROJECT = `${E2E_PROJECT}-roles`;
/** Started on single, signalled after the switch to roles and back: it must complete. */
const PARKED_ID = 'e2e-roles-parked-across-switches';
const REPLICAS = { frontend: 2, history: 2, matching: 1, worker: 1 } as const;
/** Workflows of the fault workloads, and how long each waits on its timer (the fault lands inside). */
const WORKLOAD = { count: 20, seconds: 12 };
const SHARDS = 32;
/** Started on the release before the default, upgraded to the default rolling. */
const { from: FROM, target: TARGET } = upgradeReleases();

describe(
  'TEMPORAL_TOPOLOGY=roles: each role its own service, frontends behind a balancer, one instance lost without losing work',
  suiteOptions(),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let client: ClientEnv;
    const env = () => requireTestEnv();
    /** The run's config as its temporal.env holds it now (the suite switches topology). */
    const current = () => loadConfig({ envFile: run.envFile, env: cliEnv() }).config;
    const status = async () => {
      const r = await run.ctl(['status', '-o', 'json', '--no-metrics']);
      return { r, doc: json<StatusDocument>(r) };
    };
    const containerId = async (instance: string) =>
      (await run.docker.getContainer(containerName(run.config, instance as 'server')).inspect()).Id;
    const ipOf = async (instance: string) =>
      Object.values(
        (await run.docker.getContainer(containerName(run.config, instance as 'server')).inspect()).NetworkSettings
          .Networks,
      )[0]!.IPAddress;
    /** Polls status -o json until `ok` holds (or fails after timeoutMs); returns the document and how long it took. */
    const until = async (ok: (d: StatusDocument) => boolean, timeoutMs: number) => {
      const started = Date.now();
      for (;;) {
        const { doc } = await status();
        if (ok(doc)) return { doc, ms: Date.now() - started };
        if (Date.now() - started > timeoutMs)
          assert.fail(`not reached in ${timeoutMs} ms: ${JSON.stringify(doc.ring)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    /** After a failed start: every unhealthy row and its instance's last log lines, for the report. */
    const explain = async (t: TestContext) => {
      const { doc } = await status();
      t.diagnostic(`ring: ${JSON.stringify(doc.ring)}`);
      // Status counts a container whose healthcheck is still starting as up; terraform waits for healthy.
      const notHealthy = new Set(doc.services.filter((x) => !x.healthy).map((x) => x.instance));
      for (const c of await run.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.project}=${run.config.TEMPORAL_PROJECT}`] },
      })) {
        const instance = c.Labels[LABELS.instance] ?? c.Labels[LABELS.service] ?? c.Id;
        t.diagnostic(`${instance}: ${c.State} (${c.Status})`);
        if (/starting|unhealthy/.test(c.Status)) notHealthy.add(instance);
      }
      for (const instance of notHealthy) {
        const logs = await run.ctl(['logs', instance, '--tail', '40']);
        for (const line of logs.stdout.split('\n')) t.diagnostic(`  ${instance}: ${line}`);
      }
    };
    const shardsOf = (doc: StatusDocument): Record<string, number[]> =>
      Object.fromEntries(
        (doc.ring?.roles.find((r) => r.role === 'history')?.members ?? []).map((m) => [
          m.instance,
          [...(m.shards ?? [])],
        ]),
      );

    const STARTED = step(
      'single with a workflow waiting for a signal, then TEMPORAL_TOPOLOGY=roles: start replaces the server by every role instance behind the balancer and waits for the ring (exit 0)',
      async (t) => {
        run = await suite.start({
          project: PROJECT,
          settings: {
            TEMPORAL_VISIBILITY: 'postgres',
            TEMPORAL_VERSION: FROM,
            // The ring hashes shards to instances by their addresses: of development's 4, one of two
            // instances got none in one run here. With 32, three instances each get some (all but surely).
            NUM_HISTORY_SHARDS: String(SHARDS),
            TEMPORAL_FRONTEND_REPLICAS: String(REPLICAS.frontend),
            TEMPORAL_HISTORY_REPLICAS: String(REPLICAS.history),
            TEMPORAL_MATCHING_REPLICAS: String(REPLICAS.matching),
            TEMPORAL_WORKER_REPLICAS: String(REPLICAS.worker),
          },
        });
        for (const note of run.notes) t.diagnostic(note);
        // The default release's images for the rolling upgrade, as a user's engine would pull them.
        const file = join(run.tmp, `release-${TARGET}.env`);
        await writeFile(file, `${await readFile(run.envFile, 'utf8')}TEMPORAL_VERSION=${TARGET}\n`);
        await buildImages(file, { ...cliEnv(), DOCKER_HOST: run.env.DOCKER_HOST ?? '' });
        const single = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
        t.diagnostic(`start (single) took ${single.ms} ms`);
        assert.equal(single.code, 0, tail(single));
        client = json<{ clientEnv: ClientEnv }>(single).clientEnv;
        const parked = await signalWorker(env(), client, 'start', PARKED_ID);
        assert.equal(parked.code, 0, parked.stderr);
        setEnvFileKeys(run.envFile, { TEMPORAL_TOPOLOGY: 'roles' }, 'the suite switches topology');
        const plan = await run.ctl(['plan', '-o', 'json']);
        assert.equal(plan.code, 0, tail(plan));
        const changes = json<{ changes: { name: string; action: string; kind: string }[] }>(plan).changes;
        assert.ok(
          changes.some((c) => c.name === 'server' && c.action === 'delete'),
          JSON.stringify(changes),
        );
        assert.ok(
          changes.some((c) => c.name === 'history-2' && c.action === 'create'),
          JSON.stringify(changes),
        );
        assert.ok(!changes.some((c) => c.kind === 'volume'), 'no volume changes');
        const r = await run.ctl(['start', '--yes', '--timeout', '420s', '-o', 'json']);
        t.diagnostic(`start (single -> roles) took ${r.ms} ms`);
        if (r.code !== 0) await explain(t);
        assert.equal(r.code, 0, tail(r));
        assert.deepEqual(json<{ clientEnv: ClientEnv }>(r).clientEnv, client, 'clients keep their address');
      },
    );

    step(
      "every instance is a container of its own, in the ring as the server (and Temporal's tdbg) reports it, and the shards are split",
      async (t) => {
        const names = (await engineState(run.docker, run.config.TEMPORAL_PROJECT)).containers.map((c) => c.name).sort();
        assert.deepEqual(
          names,
          enabledInstances(current())
            .map((i) => containerName(run.config, i.name as 'server'))
            .sort(),
        );
        await assertAllHealthy(run);
        const { doc } = await status();
        assert.equal(doc.ring?.complete, true, JSON.stringify(doc.ring));
        for (const role of SERVER_ROLES) {
          const roleRing: RoleRing | undefined = doc.ring?.roles.find((r) => r.role === role);
          assert.deepEqual([roleRing?.joined, roleRing?.expected], [REPLICAS[role], REPLICAS[role]], role);
        }
        const shards = shardsOf(doc);
        t.diagnostic(`shards: ${JSON.stringify(shards)}`);
        assert.deepEqual(Object.keys(shards).sort(), ['history-1', 'history-2']);
        assert.deepEqual(
          Object.values(shards)
            .flat()
            .sort((a, b) => a - b),
          Array.from({ length: run.config.NUM_HISTORY_SHARDS }, (_, i) => i + 1),
        );
        for (const [instance, owned] of Object.entries(shards))
          assert.ok(owned.length > 0, `${instance} owns no shard`);
        // Temporal's own tool, in the admin-tools container, through the balancer.
        const tools = await containerId('admin-tools');
        const lb = `${containerName(run.config, 'frontend-lb')}:7233`;
        const gossip = await execIn(run.docker, tools, ['tdbg', '--address', lb, 'membership', 'list-gossip']);
        assert.equal(gossip.exitCode, 0, gossip.stderr);
        const rings = JSON.parse(gossip.stdout) as { role: string; members: { identity: string }[] }[];
        for (const role of SERVER_ROLES) {
          const ips = await Promise.all(Array.from({ length: REPLICAS[role] }, (_, i) => ipOf(`${role}-${i + 1}`)));
          const listed = rings.find((r) => r.role === role)!.members.map((m) => m.identity.split(':')[0]);
          assert.deepEqual(listed.sort(), ips.sort(), `tdbg's ${role} ring`);
        }
      },
      [STARTED],
    );

    step(
      `an SDK worker runs its workflow, a schedule and a visibility query through the balancer; calls reach both frontends; ${THROUGHPUT_WORKFLOWS} signalled workflows complete`,
      async (t) => {
        const before = await describeCalls();
        const worker = await runWorker(env(), client, 'e2e-roles');
        assert.equal(worker.code, 0, `${worker.stderr}\n${worker.stdout}`);
        assert.equal(worker.report?.workflow.result, 'Hello, temporal-ctl!');
        for (let i = 0; i < 12; i++) {
          const r = await temporalCli(env(), client, ['operator', 'namespace', 'describe', '-o', 'json']);
          assert.equal(r.code, 0, r.stderr);
        }
        const after = await describeCalls();
        t.diagnostic(
          `DescribeNamespace calls per frontend: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
        );
        for (const f of ['frontend-1', 'frontend-2'])
          assert.ok((after[f] ?? 0) > (before[f] ?? 0), `${f} answered none of the describe calls`);
        const load = await measureThroughput(env(), client);
        t.diagnostic(
          `throughput: ${THROUGHPUT_WORKFLOWS} signalled workflows in ${load.ms} ms (${load.perSecond}/s) through the balancer`,
        );
      },
      [STARTED],
    );

    /** DescribeNamespace requests each frontend has served (its own metrics, read inside its container). */
    async function describeCalls(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const f of ['frontend-1', 'frontend-2']) {
        const r = await execIn(run.docker, await containerId(f), ['wget', '-qO-', 'http://127.0.0.1:8000/metrics']);
        assert.equal(r.exitCode, 0, r.stderr);
        counts[f] = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('service_requests{') && l.includes('operation="DescribeNamespace"'))
          .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      }
      return counts;
    }

    /** A workload whose timers span `fault`; every workflow must complete. */
    async function acrossFault(t: TestContext, fault: () => Promise<void>) {
      const load = startWorkload(env(), client, WORKLOAD.count, WORKLOAD.seconds);
      await load.started;
      await fault();
      const done = await load.done;
      assert.equal(done.code, 0, done.stderr.slice(-3000));
      assert.deepEqual(
        [done.doc?.started, done.doc?.completed],
        [WORKLOAD.count, WORKLOAD.count],
        done.stderr.slice(-3000),
      );
      t.diagnostic(
        `${WORKLOAD.count} workflows (${WORKLOAD.seconds} s timers) completed across the fault in ${done.doc?.ms} ms; client calls failed after the SDK's retries and made again: ${done.doc?.clientErrors}${done.doc?.firstClientError ? ` (first: ${done.doc.firstClientError})` : ''}`,
      );
    }

    step(
      'one frontend killed while a workload runs: status names it (exit 1), every workflow completes, start brings it back',
      async (t) => {
        await acrossFault(t, async () => {
          await run.docker.getContainer(await containerId('frontend-1')).kill();
          const { r, doc } = await status();
          assert.equal(r.code, 1, tail(r));
          assert.equal(doc.services.find((s) => s.instance === 'frontend-1')?.healthy, false);
          assert.match(r.stderr, /unhealthy: .*frontend-1/);
        });
        const again = await run.ctl(['start', '--timeout', '300s']);
        assert.equal(again.code, 0, tail(again));
        const { doc } = await until((d) => d.healthy && d.ring?.complete === true, 60_000);
        assert.equal(doc.ring!.roles.find((r) => r.role === 'frontend')!.joined, 2);
      },
      [STARTED],
    );

    step(
      'one history instance killed while a workload runs: its shards move to the other, every workflow completes',
      async (t) => {
        await acrossFault(t, async () => {
          await run.docker.getContainer(await containerId('history-1')).kill();
          const moved = await until(
            (d) => (shardsOf(d)['history-2']?.length ?? 0) === run.config.NUM_HISTORY_SHARDS,
            90_000,
          );
          t.diagnostic(`history-2 owned every shard ${moved.ms} ms after history-1 was killed`);
        });
        const again = await run.ctl(['start', '--timeout', '300s']);
        assert.equal(again.code, 0, tail(again));
        const { doc } = await until((d) => d.healthy && Object.keys(shardsOf(d)).length === 2, 90_000);
        t.diagnostic(`shards after history-1 came back: ${JSON.stringify(shardsOf(doc))}`);
      },
      [STARTED],
    );

    step(
      `upgrade --to ${TARGET} rolls the role instances one at a time while a client calls DescribeNamespace through the balancer every 100 ms: no call fails`,
      async (t) => {
        const rolled = ['history-1', 'history-2', 'matching-1', 'frontend-1', 'frontend-2', 'worker-1'];
        const idsBefore = Object.fromEntries(await Promise.all(rolled.map(async (i) => [i, await containerId(i)])));
        const events = await watchContainerEvents();
        const poller = startDescribePoller(env(), client);
        await poller.polling;
        const r = await run.ctl(['upgrade', '--to', TARGET, '--yes', '--no-backup', '--timeout', '600s']);
        const polled = await poller.stop();
        const seen = await events.stop();
        t.diagnostic(`upgrade ${FROM} -> ${TARGET} (rolling) took ${r.ms} ms`);
        t.diagnostic(`DescribeNamespace every 100 ms through the balancer: ${JSON.stringify(polled.doc)}`);
        if (r.code !== 0) await explain(t);
        assert.equal(r.code, 0, tail(r));
        assert.equal(polled.code, 0, polled.stderr.slice(-2000));
        assert.equal(polled.doc?.failed, 0, `calls failed after the SDK's retries: ${polled.doc?.firstError}`);
        assert.ok((polled.doc?.calls ?? 0) > 50, `only ${polled.doc?.calls} calls`);
        assert.deepEqual(
          [polled.doc?.servers[0], polled.doc?.servers.at(-1)],
          [FROM, TARGET],
          'the servers that answered, first and last',
        );
        // The engine's own record: every role container is new, created only after the one before it
        // (in roll order) reported healthy.
        const at = (instance: string, action: string) =>
          seen.find((e) => e.instance === instance && e.action === action)?.timeNano;
        for (const [index, instance] of rolled.entries()) {
          assert.notEqual(await containerId(instance), idsBefore[instance], `${instance} was not replaced`);
          const created = at(instance, 'create');
          assert.ok(created, `no create event for ${instance}`);
          const prev = rolled[index - 1];
          if (!prev) continue;
          const healthy = at(prev, 'health_status: healthy');
          const story = seen
            .filter((e) => (e.instance === prev || e.instance === instance) && !e.action.startsWith('exec_'))
            .map((e) => `${e.instance} ${e.action} ${e.timeNano}`);
          assert.ok(
            healthy && healthy <= created,
            `${instance} was created before ${prev} was healthy:\n${story.join('\n')}`,
          );
        }
        const { doc } = await status();
        assert.equal(doc.healthy, true, JSON.stringify(doc.services));
        assert.equal(doc.ring?.complete, true, JSON.stringify(doc.ring));
        assert.match(
          await readFile(run.envFile, 'utf8'),
          new RegExp(`^TEMPORAL_VERSION=${TARGET.replaceAll('.', '\\.')}$`, 'm'),
        );
      },
      [STARTED],
    );

    /**
     * The engine's container events of the project from now until stop(), with their instance. Read
     * live: the engine keeps only its last 256 events for a later query, and healthchecks make many.
     */
    async function watchContainerEvents() {
      const stream = (await run.docker.getEvents({
        filters: { type: ['container'], label: [`${LABELS.project}=${run.config.TEMPORAL_PROJECT}`] },
      })) as NodeJS.ReadableStream & { destroy(): void };
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      return {
        stop: async () => {
          await new Promise((r) => setTimeout(r, 500)); // the last events of the apply
          stream.destroy();
          return text
            .split('\n')
            .filter(Boolean)
            .map(
              (line) =>
                JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } },
            )
            .map((e) => ({
              action: e.Action,
              timeNano: e.timeNano,
              instance: e.Actor.Attributes[LABELS.instance] ?? e.Actor.Attributes[LABELS.service],
            }));
        },
      };
    }

    step(
      'scale history=3 then history=1 while a workload runs: the shards follow the instances, every workflow completes',
      async (t) => {
        await acrossFault(t, async () => {
          const up = await run.ctl(['scale', 'history=3', '--yes', '--timeout', '300s', '-o', 'json']);
          assert.equal(up.code, 0, tail(up));
          const three = await until((d) => d.healthy && Object.keys(shardsOf(d)).length === 3, 90_000);
          t.diagnostic(`shards on three: ${JSON.stringify(shardsOf(three.doc))}`);
          assert.match(await readFile(run.envFile, 'utf8'), /^TEMPORAL_HISTORY_REPLICAS=3$/m);
          const down = await run.ctl(['scale', 'history=1', '--yes', '--timeout', '300s', '-o', 'json']);
          assert.equal(down.code, 0, tail(down));
          const one = await until(
            (d) => d.healthy && (shardsOf(d)['history-1']?.length ?? 0) === run.config.NUM_HISTORY_SHARDS,
            90_000,
          );
          assert.deepEqual(Object.keys(shardsOf(one.doc)), ['history-1']);
        });
        const names = (await engineState(run.docker, run.config.TEMPORAL_PROJECT)).containers.map((c) => c.name);
        assert.ok(!names.includes(containerName(run.config, 'history-2')), names.join(', '));
      },
      [STARTED],
    );

    step(
      'back to single: start replaces the role instances by one server; the workflow parked before the first switch completes',
      async (t) => {
        setEnvFileKeys(run.envFile, { TEMPORAL_TOPOLOGY: 'single' }, 'the suite switches back');
        const r = await run.ctl(['start', '--yes', '--timeout', '300s', '-o', 'json']);
        t.diagnostic(`start (roles -> single) took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r));
        const { doc } = await status();
        assert.deepEqual(
          doc.services.map((s) => s.instance),
          enabledInstances(current()).map((i) => i.name),
        );
        assert.ok(
          doc.services.every((s) => s.healthy),
          JSON.stringify(doc.services),
        );
        const finished = await signalWorker(env(), client, 'finish', PARKED_ID, 'after two switches');
        assert.equal(finished.code, 0, finished.stderr);
        assert.equal(finished.doc?.result, 'signalled: after two switches');
      },
      [STARTED],
    );

    step('down --volumes leaves nothing of the project', async () => assertDownRemovesAll(run), [STARTED]);
  },
);
