// Runs a graph of jobs (commands that depend on others) side by side, each with its output in a log
// file of its own, as `scripts/test-env up` provisions the test environment: an apt install, three go
// builds, a Maven assembly and the services' starts need not wait for each other. A job starts once
// every job it runs after has succeeded. After a failure no job starts; the running ones finish (a
// killed install would leave a half cache behind), then runJobs reports each failure with its log tail.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';

export interface Job {
  /** Also the timing line's label; the log file is its slug. */
  readonly name: string;
  /** Jobs that must have succeeded before this one starts. */
  readonly after: readonly string[];
  /** argv of the job's command (no shell); its stdout and stderr go to the job's log. */
  readonly command: readonly string[];
  /** Run at a lower CPU priority (nice 10): work off the critical path yields to the work on it. */
  readonly nice?: boolean;
}

export interface JobResult {
  readonly name: string;
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly ms: number;
  readonly log: string;
}

export interface RunOptions {
  /** Where each job's log goes (<dir>/<slug>.log, rewritten each run). */
  readonly logDir: string;
  /** A progress line (a job's start and end). */
  readonly print: (line: string) => void;
  /** Lines of a failed job's log to print. @default 30 */
  readonly tailLines?: number;
  /** How many jobs run at once (1: one after another, in the graph's order). @default Infinity */
  readonly concurrency?: number;
}

/** The file name of a job's log: `install: web ui` -> `install-web-ui.log`. */
export const logName = (name: string): string =>
  `${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.log`;

/** Throws for a job that runs after an unknown job, a name used twice, or a cycle. */
export function checkGraph(jobs: readonly Job[]): void {
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.name)) throw new Error(`job "${j.name}" is defined twice`);
    names.add(j.name);
  }
  for (const j of jobs)
    for (const d of j.after) if (!names.has(d)) throw new Error(`job "${j.name}" runs after an unknown job "${d}"`);
  const placed = new Set<string>();
  let left = [...jobs];
  while (left.length > 0) {
    const ready = left.filter((j) => j.after.every((d) => placed.has(d)));
    if (ready.length === 0) throw new Error(`jobs in a cycle: ${left.map((j) => j.name).join(', ')}`);
    for (const j of ready) placed.add(j.name);
    left = left.filter((j) => !placed.has(j.name));
  }
}

/** Runs the graph; resolves with every started job's result (all ok, or the failures among them). */
export async function runJobs(jobs: readonly Job[], options: RunOptions): Promise<JobResult[]> {
  checkGraph(jobs);
  await mkdir(options.logDir, { recursive: true });
  const pending = new Map(jobs.map((j) => [j.name, j]));
  const succeeded = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const results: JobResult[] = [];
  const failed = () => results.some((r) => !r.ok);

  const startReady = () => {
    if (failed()) return;
    for (const job of [...pending.values()]) {
      if (running.size >= (options.concurrency ?? Number.POSITIVE_INFINITY)) return;
      if (!job.after.every((d) => succeeded.has(d))) continue;
      pending.delete(job.name);
      options.print(`${job.name} ...`);
      running.set(
        job.name,
        runOne(job, options).then((r) => {
          running.delete(job.name);
          results.push(r);
          if (r.ok) succeeded.add(job.name);
          options.print(
            `${job.name.padEnd(28)} ${(r.ms / 1000).toFixed(1).padStart(6)}s${r.ok ? '' : `  FAILED (exit ${r.exitCode ?? 'by signal'})`}`,
          );
        }),
      );
    }
  };

  startReady();
  while (running.size > 0) {
    await Promise.race(running.values());
    startReady();
  }
  const tail = options.tailLines ?? 30;
  for (const r of results.filter((x) => !x.ok)) {
    const lines = readFileSync(r.log, 'utf8').trimEnd().split('\n');
    options.print(`${r.name} failed; the last ${Math.min(tail, lines.length)} lines of ${r.log}:`);
    for (const line of lines.slice(-tail)) options.print(`  | ${line}`);
  }
  if (failed() && pending.size > 0) options.print(`not started after the failure: ${[...pending.keys()].join(', ')}`);
  return results;
}

async function runOne(job: Job, options: RunOptions): Promise<JobResult> {
  const log = join(options.logDir, logName(job.name));
  // The log file as the child's stdout and stderr: the output lands in order, nothing is buffered
  // here, and a daemon the job starts cannot hold a pipe of ours open.
  const fd = openSync(log, 'w');
  const t0 = performance.now();
  try {
    const [cmd, ...args] = job.nice ? ['nice', '-n', '10', ...job.command] : job.command;
    const out = await $({ nothrow: true, quiet: true, stdio: ['ignore', fd, fd] })`${cmd} ${args}`;
    return { name: job.name, ok: out.exitCode === 0, exitCode: out.exitCode, ms: performance.now() - t0, log };
  } finally {
    closeSync(fd);
  }
}
