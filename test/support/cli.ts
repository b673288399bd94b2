// The temporal-ctl under test, spawned as a user runs it. One helper decides which binary:
// TEMPORAL_CTL_BIN (e.g. a packed and globally installed temporal-ctl) or this checkout's bin/.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES, ENVIRONMENT } from '../../src/config/environment.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';

export const CHECKOUT_BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');

/** TEMPORAL_CTL_BIN when set (relative to the checkout), else the checkout's bin/temporal-ctl. */
export const ctlBinary = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TEMPORAL_CTL_BIN ? resolve(PROJECT_ROOT, env.TEMPORAL_CTL_BIN) : CHECKOUT_BIN;

/**
 * Whether a variable of the developer's environment stays out of the runs the tests start: every
 * variable the config reads (a key would override the test project's temporal.env), temporal-ctl's
 * own settings (TEMPORAL_ENV_FILE; DOCKER_HOST: a test names the test environment's engine itself;
 * FORCE_COLOR), and TEMPORAL_* beyond those, which Temporal's CLI and SDKs read (the e2e runs them with
 * this environment). Kept: the session, e.g. HOME, PATH, the ssh agent and DOCKER_CERT_PATH, with
 * which `test-env up` reached the engine whose address it recorded.
 */
export const isScrubbed = (name: string): boolean =>
  CONFIG_VARIABLES.includes(name) || ENVIRONMENT[name]?.role === 'setting' || name.startsWith('TEMPORAL_');

/** An environment (the process's by default) without the variables isScrubbed names. */
export function scrubbedEnv(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(from).filter((e): e is [string, string] => e[1] !== undefined && !isScrubbed(e[0])),
  );
}

/** The caller's environment scrubbed (scrubbedEnv), without colour, with `extra` on top. */
export function cliEnv(
  extra: Record<string, string> = {},
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return { ...scrubbedEnv(from), NO_COLOR: '1', ...extra };
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  bin?: string;
  cwd?: string;
  env?: Record<string, string>;
  /** Kills the process after this long (the run then reports signal SIGKILL). */
  timeoutMs?: number;
  /** Called with the process once spawned (to watch its output or send it a signal). */
  onChild?: (child: ChildProcess) => void;
}

/** Processes still running, so a signal handler can stop them before cleaning up. */
export const running = new Set<ChildProcess>();

/**
 * Runs `<bin> ...args` with stdin closed (not a terminal) and the environment of cliEnv(), in a
 * process group of its own so an interrupted suite can stop it with terraform and its provider.
 */
export function spawnCli(args: string[], o: RunOptions = {}): Promise<Ran> {
  const started = performance.now();
  return new Promise((ok, fail) => {
    // The runner's own node (not the one on PATH): the Node 24 stage tests the CLI on Node 24.
    const child = spawn(process.execPath, [o.bin ?? ctlBinary(), ...args], {
      cwd: o.cwd,
      env: o.env ?? cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    o.onChild?.(child);
    const timer = o.timeoutMs ? setTimeout(() => killGroup(child), o.timeoutMs) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (e) => {
      running.delete(child);
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      ok({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** The last lines of a run's output, for assertion messages. */
export const tail = (r: Ran, lines = 25): string =>
  `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${(r.stdout + r.stderr).trimEnd().split('\n').slice(-lines).join('\n')}`;

/** Parses a run's stdout as JSON, failing with its output when it is not. */
export function json<T>(r: Ran): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON: ${tail(r)}`);
  }
}
