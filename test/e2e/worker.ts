// The e2e's checks with Temporal's own tools: the Python SDK worker (test/e2e/worker/worker.py on
// PyPI's temporalio, as the test env installed it) and Temporal's Go CLI, both against the address
// and namespace `start -o json` printed.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { cliEnv } from '../support/cli.js';
import type { TestEnv } from '../support/env.js';

const execFileP = promisify(execFile);
export const WORKER_PROGRAM = join(PROJECT_ROOT, 'test', 'e2e', 'worker', 'worker.py');

/** What a Temporal client needs, under the names of Temporal's envconfig (start's `clientEnv`). */
export interface ClientEnv {
  readonly TEMPORAL_ADDRESS: string;
  readonly TEMPORAL_NAMESPACE: string;
}

/** The document worker.py prints. */
export interface WorkerReport {
  sdk: string;
  address: string;
  namespace: string;
  taskQueue: string;
  workflow: { id: string; runId: string; result: string; ms: number };
  schedule: { id: string; actions: number; completedRun: { workflowId: string; runId: string }; deleted: boolean };
  visibility: { query: string; listed: string[]; count: number };
  error?: { step: string; type: string; message: string };
  ms: number;
}

export interface WorkerRun {
  code: number | null;
  report: WorkerReport | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs worker.py with only `client` for Temporal settings (TEMPORAL_* of the caller are dropped). */
export function runWorker(env: TestEnv, client: ClientEnv, taskQueue: string, timeoutMs = 240_000): Promise<WorkerRun> {
  const started = performance.now();
  const child = spawn(env.python.interpreter, [WORKER_PROGRAM, '--task-queue', taskQueue, '--timeout', '60'], {
    env: { ...cliEnv(), PYTHONPATH: env.python.path, ...client },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let report: WorkerReport | undefined;
      try {
        report = JSON.parse(stdout) as WorkerReport;
      } catch {
        report = undefined;
      }
      resolve({ code, report, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Temporal's Go CLI (the test env's) against `client`; resolves with exit code and output, never rejects. */
export async function temporalCli(
  env: TestEnv,
  client: ClientEnv,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const all = [...args, '--address', client.TEMPORAL_ADDRESS, '--namespace', client.TEMPORAL_NAMESPACE];
  try {
    const r = await execFileP(env.cli.temporal, all, { timeout: 30_000, env: cliEnv(), maxBuffer: 16 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr || e.message };
  }
}

/** Runs worker/signal_wait.py (`start ID`, `finish ID [TEXT]` or `bulk N`) against `client`; its JSON line, or the failure. */
export async function signalWorker(
  env: TestEnv,
  client: ClientEnv,
  mode: 'start' | 'finish' | 'bulk',
  workflowId: string,
  text?: string,
  timeoutMs = 180_000,
): Promise<{ code: number; doc?: Record<string, unknown>; stderr: string }> {
  try {
    const r = await execFileP(
      env.python.interpreter,
      [join(PROJECT_ROOT, 'test', 'e2e', 'worker', 'signal_wait.py'), mode, workflowId, ...(text ? [text] : [])],
      {
        timeout: timeoutMs,
        env: { ...cliEnv(), PYTHONPATH: env.python.path, ...client },
      },
    );
    // The last line: the SDK's core may log a retried call on stdout before it.
    return {
      code: 0,
      doc: JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>,
      stderr: r.stderr,
    };
  } catch (error) {
    const e = error as { code?: number; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stderr: e.stderr || e.message };
  }
}

/** What worker/workload.py prints. */
export interface WorkloadReport {
  started: number;
  /** Workflows the server describes as completed. */
  completed: number;
  /** Client calls that failed after the SDK's own retries and were made again. */
  clientErrors: number;
  firstClientError: string | null;
  ms: number;
}

/** A running worker/workload.py: `started` resolves once every workflow is started, `done` with its report. */
export interface Workload {
  readonly started: Promise<void>;
  readonly done: Promise<{
    code: number | null;
    doc?: WorkloadReport;
    stderr: string;
  }>;
}

/** Starts worker/workload.py (`count` workflows, each a `seconds` timer then an activity) against `client`. */
export function startWorkload(env: TestEnv, client: ClientEnv, count: number, seconds: number): Workload {
  const run = startReporting<WorkloadReport>(env, client, {
    script: 'workload.py',
    args: [String(count), String(seconds)],
    marker: 'started',
    before: 'starting its workflows',
    killAfterMs: 330_000,
  });
  return { started: run.ready, done: run.done };
}

/**
 * A background Python script of test/e2e/worker/ that writes `marker` on its own stderr line once it
 * is under way and prints a JSON document as its last stdout line when it ends: `ready` resolves at the
 * marker (and rejects if the script ends first), `done` at its end with the document.
 */
function startReporting<Doc>(
  env: TestEnv,
  client: ClientEnv,
  o: { script: string; args: string[]; marker: string; before: string; killAfterMs: number },
) {
  const child = spawn(env.python.interpreter, [join(PROJECT_ROOT, 'test', 'e2e', 'worker', o.script), ...o.args], {
    env: { ...cliEnv(), PYTHONPATH: env.python.path, ...client },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
  const markerLine = new RegExp(`^${o.marker}$`, 'm');
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  let failReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((ok, fail) => {
    markReady = ok;
    failReady = fail;
  });
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (markerLine.test(stderr)) markReady();
  });
  const done = new Promise<{ code: number | null; doc?: Doc; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      failReady(new Error(`${o.script} ended before ${o.before} (exit ${code}): ${stderr.slice(-2000)}`));
      let doc: Doc | undefined;
      try {
        doc = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        doc = undefined;
      }
      resolve({ code, doc, stderr: `${stderr}\nstdout: ${stdout}` });
    });
  });
  return { child, ready, done };
}

/** The document describe_poll.py prints. */
export interface PollReport {
  calls: number;
  /** Calls that still failed after the SDK's own retries. */
  failed: number;
  firstError: string | null;
  /** The slowest call, retries included. */
  maxMs: number;
  /** The server releases that answered, in order. */
  servers: string[];
}

export interface Poller {
  /** Resolves after the first answer. */
  readonly polling: Promise<void>;
  /** Ends the loop (SIGTERM) and returns its report. */
  stop(): Promise<{ code: number | null; doc?: PollReport; stderr: string }>;
}

/** DescribeNamespace every 100 ms through `client`'s address until stopped (test/e2e/worker/describe_poll.py). */
export function startDescribePoller(env: TestEnv, client: ClientEnv): Poller {
  const run = startReporting<PollReport>(env, client, {
    script: 'describe_poll.py',
    args: [],
    marker: 'polling',
    before: 'its first answer',
    killAfterMs: 660_000,
  });
  return {
    polling: run.ready,
    stop: () => {
      run.child.kill('SIGTERM');
      return run.done;
    },
  };
}

/** A workflow started, then signalled with `text` and completed, through worker/signal_wait.py; asserts each step. */
export async function assertSignalledWorkflow(
  env: TestEnv,
  client: ClientEnv,
  workflowId: string,
  text: string,
): Promise<void> {
  const started = await signalWorker(env, client, 'start', workflowId);
  assert.equal(started.code, 0, started.stderr);
  const done = await signalWorker(env, client, 'finish', workflowId, text);
  assert.equal(done.code, 0, done.stderr);
  assert.equal(done.doc?.result, `signalled: ${text}`);
}

/** The fixed workload the role topology runs on one host (roles suite) and on a swarm (swarm suite), for their throughput side by side. */
export const THROUGHPUT_WORKFLOWS = 200;

/** THROUGHPUT_WORKFLOWS signalled workflows run to completion through `client`; asserts they all completed. */
export async function measureThroughput(
  env: TestEnv,
  client: ClientEnv,
): Promise<{ readonly ms: number; readonly perSecond: number }> {
  const r = await signalWorker(env, client, 'bulk', String(THROUGHPUT_WORKFLOWS));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.doc?.completed, THROUGHPUT_WORKFLOWS);
  const ms = Number(r.doc?.ms);
  return { ms, perSecond: Math.round((THROUGHPUT_WORKFLOWS / (ms / 1000)) * 10) / 10 };
}
