// `npm run bench:roles`: TEMPORAL_TOPOLOGY=single against roles (the default replicas) on this
// machine, with the e2e's stand-in images and provider mirror (test/e2e/fixture.ts). Per topology and
// round: time to ready of `start` from nothing (no container, no volume), then one fixed workload
// (test/e2e/worker/workload.py: BENCH_ROLES_WORKFLOWS workflows with one activity each and no timer,
// started and run by one Python SDK client and worker through the client address start printed), as
// workflows per second, and the memory the project's containers use right after it (the engine's
// stats, page cache left out). PostgreSQL visibility. Writes "roles" into bench/results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { setEnvFileKeys } from '../src/config/env-file-edit.js';
import { PROJECT_ROOT } from '../src/installed-package.js';
import { LABELS } from '../src/model/names-and-endpoints.js';
import { resolveService, runsServer } from '../src/model/service-facts.js';
import { json, tail } from '../test/support/cli.js';
import { requireTestEnv } from '../test/support/env.js';
import { startRun } from '../test/e2e/fixture.js';
import { E2E_PROJECT } from '../test/e2e/provision.js';
import { startWorkload, type ClientEnv } from '../test/e2e/worker.js';
import { stats } from './measure.js';

const RUNS = Number(process.env.BENCH_ROLES_RUNS ?? 2);
const WORKFLOWS = Number(process.env.BENCH_ROLES_WORKFLOWS ?? 200);
const TOPOLOGIES = ['single', 'roles'] as const;

/** MiB the project's containers use now, in all and for the server's (the one server, or every role instance). */
async function memoryMiB(docker: Docker, project: string): Promise<{ all: number; server: number }> {
  const listed = await docker.listContainers({ filters: { label: [`${LABELS.project}=${project}`] } });
  let all = 0;
  let server = 0;
  for (const c of listed) {
    const s = (await docker.getContainer(c.Id).stats({ stream: false })) as unknown as {
      memory_stats: { usage?: number; stats?: { inactive_file?: number; cache?: number } };
    };
    const bytes =
      (s.memory_stats.usage ?? 0) - (s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.cache ?? 0);
    const mib = bytes / 1024 / 1024;
    all += mib;
    const service = resolveService(c.Labels[LABELS.service] ?? '');
    if (service && runsServer(service)) server += mib;
  }
  return { all: Math.round(all), server: Math.round(server) };
}

const { run, finish } = await startRun(() => false, {
  project: `${E2E_PROJECT}-bench-roles`,
  settings: { TEMPORAL_VISIBILITY: 'postgres' },
});
try {
  const samples: Record<string, { toReady: number[]; perSecond: number[]; memory: { all: number; server: number }[] }> =
    {};
  for (let round = 0; round < RUNS; round++) {
    for (const topology of TOPOLOGIES) {
      const down = await run.ctl(['down', '--volumes', '--yes']);
      if (down.code !== 0) throw new Error(`down: ${tail(down)}`);
      setEnvFileKeys(run.envFile, { TEMPORAL_TOPOLOGY: topology }, 'the benchmark compares topologies');
      const start = await run.ctl(['start', '--yes', '--timeout', '420s', '-o', 'json']);
      if (start.code !== 0) throw new Error(`start (${topology}): ${tail(start)}`);
      const client = json<{ clientEnv: ClientEnv }>(start).clientEnv;
      const load = startWorkload(requireTestEnv(), client, WORKFLOWS, 0);
      const done = await load.done;
      if (done.code !== 0 || done.doc?.completed !== WORKFLOWS)
        throw new Error(`workload (${topology}): ${done.stderr.slice(-2000)}`);
      const perSecond = Math.round((WORKFLOWS / (done.doc.ms / 1000)) * 10) / 10;
      const memory = await memoryMiB(run.docker, run.config.TEMPORAL_PROJECT);
      samples[topology] ??= { toReady: [], perSecond: [], memory: [] };
      samples[topology].toReady.push(start.ms);
      samples[topology].perSecond.push(perSecond);
      samples[topology].memory.push(memory);
      process.stderr.write(
        `${topology}: ready in ${start.ms} ms; ${WORKFLOWS} workflows in ${done.doc.ms} ms (${perSecond}/s); memory ${memory.all} MiB (server ${memory.server} MiB)\n`,
      );
    }
  }
  await run.ctl(['down', '--volumes', '--yes']);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const figures = Object.fromEntries(
    Object.entries(samples).map(([topology, s]) => [
      topology,
      {
        toReady: stats(s.toReady),
        workflowsPerSecond: { median: median(s.perSecond), samples: s.perSecond },
        memoryMiB: { all: median(s.memory.map((m) => m.all)), server: median(s.memory.map((m) => m.server)) },
      },
    ]),
  );
  const file = join(PROJECT_ROOT, 'bench/results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  results.roles = {
    date: new Date().toISOString(),
    visibility: 'postgres',
    workload: `${WORKFLOWS} workflows, one activity each, no timer; one Python SDK client and worker`,
    replicas: 'frontend 2, history 2, matching 1, worker 1 (the defaults)',
    ...figures,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwritten: bench/results.json (roles)\n`);
} finally {
  await finish();
}
