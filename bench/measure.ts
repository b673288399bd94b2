// Timing primitives for the benchmarks: repeated runs, min/median/max.
import { spawn } from 'node:child_process';

export interface Stats {
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { runs: samples.length, minMs: round(sorted[0]!), medianMs: round(median), maxMs: round(sorted.at(-1)!) };
}

export interface CommandRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall time (spawn to exit). */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

/** Runs `once` warmup times unmeasured, then `runs` times measured; every run must succeed. */
export async function repeat(
  label: string,
  runs: number,
  once: (i: number) => Promise<number>,
  warmup = 1,
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await once(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once(i));
  const s = stats(samples);
  process.stderr.write(`  ${label.padEnd(48)} min ${s.minMs} ms  median ${s.medianMs} ms  max ${s.maxMs} ms\n`);
  return s;
}

/** Measures a command `runs` times; a non-zero exit fails the benchmark (a fast failure is no result). */
export function repeatCommand(
  label: string,
  runs: number,
  cmd: string,
  args: (i: number) => string[],
  env?: NodeJS.ProcessEnv,
): Promise<Stats> {
  return repeat(label, runs, async (i) => {
    const r = await timeCommand(cmd, args(i), env);
    if (r.code !== 0)
      throw new Error(
        `${label}: \`${cmd} ${args(i).join(' ')}\` exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    return r.ms;
  });
}

export interface Variant {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Measures several commands round-robin, one run of each in turn (after `warmup` unmeasured rounds),
 * so a change in machine load during the run hits every variant alike. Every run must succeed.
 */
export async function compareCommands(
  label: string,
  runs: number,
  variants: Record<string, Variant>,
  warmup = 1,
): Promise<Record<string, Stats>> {
  const entries = Object.entries(variants);
  const samples = new Map<string, number[]>(entries.map(([k]) => [k, []]));
  for (let i = -warmup; i < runs; i++) {
    for (const [k, v] of entries) {
      const r = await timeCommand(v.cmd, v.args, v.env);
      if (r.code !== 0)
        throw new Error(
          `${label} (${k}): \`${v.cmd} ${v.args.join(' ')}\` exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        );
      if (i >= 0) samples.get(k)!.push(r.ms);
    }
  }
  const out: Record<string, Stats> = {};
  for (const [k] of entries) {
    const s = stats(samples.get(k)!);
    out[k] = s;
    process.stderr.write(
      `  ${`${label}: ${k}`.padEnd(48)} min ${s.minMs} ms  median ${s.medianMs} ms  max ${s.maxMs} ms\n`,
    );
  }
  return out;
}
