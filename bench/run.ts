// `npm run bench`: how fast temporal-ctl answers next to the alternatives, on the
// real services of the test environment (scripts/test-env up). Prints
// min/median/max per figure and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/project/load.js';
import { PROJECT_ROOT } from '../src/installed-package.js';
import { enabledServices } from '../src/model/service-facts.js';
import { collectStatus } from '../src/probes/collect.js';
import { listStackContainers } from '../src/docker/containers.js';
import { probesFor, runOne } from '../src/probes/run-probes.js';
import { compareCommands, repeat, repeatCommand, timeCommand, type Stats, type Variant } from './measure.js';
import { LatencyProxy, TcpGate, freePort } from './gate.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ENV_FILE = join(PROJECT_ROOT, '.test-env/temporal.env');
const CTL = join(PROJECT_ROOT, 'bin/temporal-ctl');
const node = process.execPath;
const testEnv = JSON.parse(readFileSync(join(PROJECT_ROOT, '.test-env/env.json'), 'utf8')) as {
  cli: { temporal: string };
  temporal: { address: string };
};
const ctl = (...args: string[]) => [CTL, '--env-file', ENV_FILE, ...args];
const ratio = (a: Stats, b: Stats) => Math.round((a.medianMs / b.medianMs) * 100) / 100;
// The second Node, installed on first use (scripts/lib/node24 prints its path).
const node24 = execFileSync('bash', [join(PROJECT_ROOT, 'scripts/lib/node24')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
const thisNode = `node${process.versions.node.split('.')[0]}`;
// Node 20 reads every certificate of NODE_EXTRA_CA_CERTS at startup (~50 ms per process for
// Debian's bundle; Node 24 defers it). Most machines do not set it, so the measured processes run without.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;

async function coldStart() {
  process.stderr.write('cold start\n');
  const nodeBaseline = await repeatCommand('node -e 0', RUNS * 2, node, () => ['-e', '0']);
  const help = await repeatCommand('temporal-ctl --help', RUNS * 2, node, () => [CTL, '--help']);
  const version = await repeatCommand('temporal-ctl --version', RUNS * 2, node, () => [CTL, '--version']);
  return {
    nodeBaseline,
    help,
    version,
    helpOverNodeMs: Math.round(help.medianMs - nodeBaseline.medianMs),
    helpRatio: ratio(help, nodeBaseline),
  };
}

/** status over loopback, and again with every probed port behind a proxy that adds network latency. */
async function status() {
  const loopback = await statusFigures('loopback', {});
  const { config } = loadConfig({ envFile: ENV_FILE });
  const delayMs = 5;
  const proxies = await Promise.all(
    [
      ['POSTGRES_PORT', config.POSTGRES_PORT],
      ['TEMPORAL_GRPC_PORT', config.TEMPORAL_GRPC_PORT],
      ['TEMPORAL_UI_PORT', config.TEMPORAL_UI_PORT],
    ].map(
      async ([key, port]) =>
        [
          key,
          new LatencyProxy(await freePort(), { host: config.TEMPORAL_ENDPOINT_HOST, port: port as number }, delayMs),
        ] as const,
    ),
  );
  await Promise.all(proxies.map(([, p]) => p.start()));
  const overrides = Object.fromEntries(proxies.map(([key, p]) => [key, String(p.port)]));
  const distant = await statusFigures(`${delayMs} ms each way`, overrides);
  await Promise.all(proxies.map(([, p]) => p.stop()));
  return { ...loopback, withLatency: { delayMsEachWay: delayMs, ...distant } };
}

async function statusFigures(label: string, overrides: Record<string, string>) {
  process.stderr.write(`status (in-process, probes loaded once; ${label})\n`);
  const { config } = loadConfig({ envFile: ENV_FILE, env: { ...process.env, ...overrides } });
  const probes = await probesFor(enabledServices(config));
  const timeout = config.TEMPORAL_PROBE_TIMEOUT;
  const single: Record<string, Stats> = {};
  for (const p of probes) {
    single[p.service] = await repeat(`probe ${p.service} alone`, RUNS, async () => {
      const r = await runOne(p, config, timeout);
      if (!r.healthy) throw new Error(`probe ${p.service} is unhealthy: ${r.detail}`);
      return r.latencyMs;
    });
  }
  const dockerListing = await repeat('Docker listing by label alone', RUNS, async () => {
    const t = performance.now();
    await listStackContainers(config, process.env);
    return performance.now() - t;
  });
  const sequential = await repeat('all probes one after another', RUNS, async () => {
    const t = performance.now();
    for (const p of probes) await runOne(p, config, timeout);
    return performance.now() - t;
  });
  const total = await repeat('status (collectStatus: probes + Docker listing)', RUNS, async () => {
    const t = performance.now();
    const s = await collectStatus(config, { probes });
    if (!s.healthy)
      throw new Error(
        `cluster is not healthy: ${s.services
          .filter((x) => !x.healthy)
          .map((x) => `${x.service}: ${x.detail}`)
          .join('; ')}`,
      );
    return performance.now() - t;
  });
  const slowest = Object.entries(single).sort((a, b) => b[1].medianMs - a[1].medianMs)[0]!;
  const process_ = await repeatCommand(
    'temporal-ctl status --json (process)',
    RUNS,
    node,
    () => ctl('status', '--json'),
    { ...process.env, ...overrides },
  );
  return {
    single,
    dockerListing,
    slowestProbe: slowest[0],
    sequential,
    total,
    process: process_,
    totalOverSlowest: ratio(total, slowest[1]),
    sequentialOverTotal: ratio(sequential, total),
  };
}

async function namespaces() {
  process.stderr.write('namespace commands vs temporal operator namespace\n');
  const address = testEnv.temporal.address;
  const tcli = testEnv.cli.temporal;
  const base = `bench-${Date.now().toString(36)}`;
  const created = await timeCommand(node, ctl('namespace', 'create', base, '--if-not-exists'));
  if (created.code !== 0) throw new Error(`could not create ${base}: ${created.stderr}`);
  const describeCtl = await repeatCommand('temporal-ctl namespace describe', RUNS, node, () =>
    ctl('namespace', 'describe', base, '--json'),
  );
  const describeGo = await repeatCommand('temporal operator namespace describe', RUNS, tcli, () => [
    'operator',
    'namespace',
    'describe',
    '-n',
    base,
    '--address',
    address,
  ]);
  const createCtl = await repeatCommand('temporal-ctl namespace create', RUNS, node, (i) =>
    ctl('namespace', 'create', `${base}-c${i + 1}`, '--retention', '1d'),
  );
  const createGo = await repeatCommand('temporal operator namespace create', RUNS, tcli, (i) => [
    'operator',
    'namespace',
    'create',
    '-n',
    `${base}-g${i + 1}`,
    '--retention',
    '24h',
    '--address',
    address,
  ]);
  return {
    describeCtl,
    describeGo,
    describeRatio: ratio(describeCtl, describeGo),
    createCtl,
    createGo,
    createRatio: ratio(createCtl, createGo),
  };
}

/**
 * Whole processes on this Node (20) and on Node 24, with the compile cache bin/temporal-ctl enables
 * and without it, next to Temporal's Go CLI; round-robin, so load changes hit every variant alike.
 */
async function runtimes() {
  process.stderr.write(`processes: ${thisNode} and node24 vs the Go CLI\n`);
  const tcli = testEnv.cli.temporal;
  const address = testEnv.temporal.address;
  const ns = `bench-rt-${Date.now().toString(36)}`;
  const created = await timeCommand(node, ctl('namespace', 'create', ns, '--if-not-exists'));
  if (created.code !== 0) throw new Error(`could not create ${ns}: ${created.stderr}`);
  const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
  const onNodes = (args: string[]): Record<string, Variant> => ({
    [thisNode]: { cmd: node, args },
    node24: { cmd: node24, args },
    node24NoCompileCache: { cmd: node24, args, env: noCache },
  });
  const go = (...args: string[]): Variant => ({ cmd: tcli, args });
  const version = (cmd: string) => execFileSync(cmd, ['--version'], { encoding: 'utf8' }).trim();
  const versions = { [thisNode]: process.version, node24: version(node24), temporal: version(tcli) };
  const baseline = await compareCommands('node -e 0, temporal --version', RUNS * 2, {
    [thisNode]: { cmd: node, args: ['-e', '0'] },
    node24: { cmd: node24, args: ['-e', '0'] },
    temporal: go('--version'),
  });
  const help = await compareCommands('--help', RUNS, { ...onNodes([CTL, '--help']), temporal: go('--help') });
  const status = await compareCommands('status --json', RUNS, {
    ...onNodes(ctl('status', '--json')),
    temporal: go('operator', 'cluster', 'health', '--address', address),
  });
  const describe = await compareCommands('namespace describe', RUNS, {
    ...onNodes(ctl('namespace', 'describe', ns, '--json')),
    temporal: go('operator', 'namespace', 'describe', '-n', ns, '--address', address),
  });
  const commands = {
    baseline: 'node -e 0; temporal --version',
    status:
      'temporal-ctl status --json (3 probes + Docker listing); temporal operator cluster health (the frontend only)',
    describe: 'temporal-ctl namespace describe --json; temporal operator namespace describe',
  };
  return { versions, commands, baseline, help, status, describe };
}

/** PostgreSQL behind a gate that opens at a known moment; how long until `status --wait` exits 0. */
async function detectionLag() {
  process.stderr.write('detection lag (status --wait, postgresql behind a gate)\n');
  const { config } = loadConfig({ envFile: ENV_FILE });
  const samples = await repeat(
    'status --wait exit - moment healthy',
    Math.max(3, Math.ceil(RUNS / 2)),
    async () => {
      const gate = new TcpGate(await freePort(), { host: config.TEMPORAL_ENDPOINT_HOST, port: config.POSTGRES_PORT });
      const run = timeCommand(node, ctl('status', '--wait', '--timeout', '30s', '--json'), {
        ...process.env,
        POSTGRES_PORT: String(gate.port),
      });
      await new Promise((r) => setTimeout(r, 1500 + Math.random() * 500));
      await gate.open();
      const result = await run;
      const exitedAt = performance.now();
      await gate.close();
      if (result.code !== 0) throw new Error(`status --wait exited ${result.code}: ${result.stderr.trim()}`);
      return exitedAt - gate.openedAt!;
    },
    0,
  );
  return { lag: samples };
}

async function synth() {
  process.stderr.write('synth\n');
  const run = await repeatCommand(
    'npm run synth (node dist/stacks/main.js)',
    Math.max(3, Math.ceil(RUNS / 2)),
    node,
    () => [join(PROJECT_ROOT, 'dist/stacks/main.js')],
  );
  return { synth: run };
}

// The 1-minute load average at start and end: on a shared machine, what else ran during the figures.
const load1 = () => Math.round(loadavg()[0]! * 100) / 100;
const loadAtStart = load1();
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    nodeExtraCaCerts: extraCaCerts ? 'unset for the run' : 'not set',
  },
  runs: RUNS,
  coldStart: await coldStart(),
  status: await status(),
  namespaces: await namespaces(),
  runtimes: await runtimes(),
  detection: await detectionLag(),
  synth: await synth(),
  load: { start: loadAtStart, end: load1() },
};
const targets = [
  {
    figure: '--help median over node -e 0',
    target: '<= 150 ms',
    measured: `${results.coldStart.helpOverNodeMs} ms`,
    met: results.coldStart.helpOverNodeMs <= 150,
  },
  {
    figure: 'status / slowest single probe',
    target: '<= 1.3x',
    measured: `${results.status.totalOverSlowest}x`,
    met: results.status.totalOverSlowest <= 1.3,
  },
  {
    figure: 'same, 5 ms latency each way',
    target: '<= 1.3x',
    measured: `${results.status.withLatency.totalOverSlowest}x`,
    met: results.status.withLatency.totalOverSlowest <= 1.3,
  },
  {
    figure: 'namespace describe / temporal CLI',
    target: '<= 2x',
    measured: `${results.namespaces.describeRatio}x`,
    met: results.namespaces.describeRatio <= 2,
  },
  {
    figure: 'same on Node 24 (compile cache)',
    target: '<= 2x',
    measured: `${ratio(results.runtimes.describe.node24!, results.runtimes.describe.temporal!)}x`,
    met: ratio(results.runtimes.describe.node24!, results.runtimes.describe.temporal!) <= 2,
  },
  {
    figure: 'namespace create / temporal CLI',
    target: '<= 2x',
    measured: `${results.namespaces.createRatio}x`,
    met: results.namespaces.createRatio <= 2,
  },
  {
    figure: 'detection lag (median)',
    target: '< 300 ms',
    measured: `${results.detection.lag.medianMs} ms`,
    met: results.detection.lag.medianMs < 300,
  },
  {
    figure: 'synth (median)',
    target: '< 1500 ms',
    measured: `${results.synth.synth.medianMs} ms`,
    met: results.synth.synth.medianMs < 1500,
  },
];
writeFileSync(join(PROJECT_ROOT, 'bench/results.json'), `${JSON.stringify({ ...results, targets }, null, 2)}\n`);
process.stdout.write('\nfigure                                   target      measured   met\n');
for (const t of targets)
  process.stdout.write(
    `${t.figure.padEnd(40)} ${t.target.padEnd(11)} ${t.measured.padEnd(10)} ${t.met ? 'yes' : 'NO'}\n`,
  );
process.stdout.write('written: bench/results.json\n');
