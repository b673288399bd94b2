// `npm run bench:start`: time to ready of `temporal-ctl start` from nothing (no container, no volume)
// on the real engine with the e2e's stand-in images and provider mirror (test/e2e/fixture.ts), and
// of a second start on the running cluster. PostgreSQL visibility, as the compose file it is
// compared with (Temporal's samples-server, postgres variant). BENCH_START_COMPARE=<another
// checkout's bin/temporal-ctl> runs that one round-robin with this checkout's, on the same directory,
// under the name BENCH_START_COMPARE_NAME (default "compared"). Each round also times the compose
// baseline (bench/compose.ts) on the same engine and images, and the figures give start's ratio to it.
// Writes the figures under "start" in bench/results.json, keeping the rest of the file.
import { appendFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../src/installed-package.js';
import { CHECKOUT_BIN, spawnCli, tail } from '../test/support/cli.js';
import { startRun } from '../test/e2e/fixture.js';
import { E2E_PROJECT } from '../test/e2e/provision.js';
import { stats } from './measure.js';
import { composeRunner, ensureCompose } from './compose.js';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const bins: Record<string, string> = { 'this checkout': CHECKOUT_BIN };
if (process.env.BENCH_START_COMPARE)
  bins[process.env.BENCH_START_COMPARE_NAME ?? 'compared'] = process.env.BENCH_START_COMPARE;

const { run, finish } = await startRun(() => false, { project: `${E2E_PROJECT}-bench` });
try {
  await appendFile(run.envFile, 'TEMPORAL_VISIBILITY=postgres\n');
  const ctl = async (bin: string, args: string[]) => {
    const r = await spawnCli(args, { bin, cwd: run.workdir, env: run.env, timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`${bin} ${args.join(' ')}: ${tail(r)}`);
    return r;
  };
  const samples: Record<string, { fromNothing: number[]; again: number[] }> = {};
  await ensureCompose();
  const compose = composeRunner(run.config, run.env, `${E2E_PROJECT}-bench-compose`);
  const composeSamples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await compose.down();
    composeSamples.push(await compose.timeToReady());
    await compose.down();
    process.stderr.write(`compose baseline: ready in ${composeSamples.at(-1)} ms\n`);
    for (const [name, bin] of Object.entries(bins)) {
      await ctl(bin, ['down', '--volumes', '--yes']);
      const first = await ctl(bin, ['start', '--timeout', '300s']);
      const again = await ctl(bin, ['start']);
      samples[name] ??= { fromNothing: [], again: [] };
      const s = samples[name];
      s.fromNothing.push(first.ms);
      s.again.push(again.ms);
      process.stderr.write(`${name}: start ${first.ms} ms from nothing, ${again.ms} ms again\n`);
    }
  }
  await ctl(CHECKOUT_BIN, ['down', '--volumes', '--yes']);
  const baseline = stats(composeSamples);
  const figures = {
    composeBaseline: { file: 'bench/compose/compose.yml', toReady: baseline },
    ...Object.fromEntries(
      Object.entries(samples).map(([name, s]) => {
        const fromNothing = stats(s.fromNothing);
        const ratio = Math.round((fromNothing.medianMs / baseline.medianMs) * 100) / 100;
        return [
          name,
          { bin: relative(PROJECT_ROOT, bins[name]!), fromNothing, again: stats(s.again), ratioToCompose: ratio },
        ];
      }),
    ),
  };
  const file = join(PROJECT_ROOT, 'bench/results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  results.start = {
    date: new Date().toISOString(),
    visibility: 'postgres',
    images: 'the e2e stand-ins (scripts/build-e2e-images), provider from the local mirror',
    ...figures,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwritten: bench/results.json (start)\n`);
} finally {
  await finish();
}
