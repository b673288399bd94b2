// Runs an external program directly (no shell, so no quoting to get wrong). With `interruptible`, it
// runs in a process group of its own and SIGINT/SIGTERM while it runs are forwarded to it (./forward-interrupts.ts).
import { spawn } from 'node:child_process';
import type { Env } from '../docker/client.js';
import type { Output } from '../output.js';
import { forwardInterrupts, type InterruptNotice } from './forward-interrupts.js';
import { withPrivateUmask } from './private-files.js';

export interface ExecIO {
  env: Env;
  out: Output;
  /** Show the command and stream its output to stderr. */
  verbose: boolean;
  /**
   * The program changes the cluster (terraform apply, destroy): a first Ctrl-C or SIGTERM is
   * forwarded to it so it can finish its step and save its state, a second one kills it.
   * @default false - a signal ends temporal-ctl as usual
   */
  interruptible?: boolean;
  /** Aborted: the program is asked to stop as by a first Ctrl-C (SIGINT), e.g. when a deadline passes. @default - never */
  abort?: AbortSignal;
}

export interface ExecResult {
  /** null when the program was ended by a signal; NOT_FOUND when it could not be started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The command line as a person would type it. */
  command: string;
  /** The signal temporal-ctl received while the program ran (interruptible only), and whether a second one killed it. */
  interrupted?: { readonly signal: NodeJS.Signals; readonly killed: boolean };
  /** io.abort fired while the program ran. */
  aborted?: boolean;
}

/** Exit code a shell gives for "command not found". */
export const NOT_FOUND = 127;

/** `onLine` receives stdout line by line as it arrives (terraform's -json events). */
export async function exec(
  bin: string,
  args: string[],
  io: ExecIO,
  cwd?: string,
  onLine?: (line: string) => void,
): Promise<ExecResult> {
  const command = [bin, ...args].map(displayQuoted).join(' ');
  if (io.verbose) io.out.info(io.out.dim(`$ ${cwd ? `(cd ${cwd}) ` : ''}${command}`));
  const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
  // Interruptible: its own process group, so a terminal's Ctrl-C reaches temporal-ctl only, which
  // decides; otherwise the program gets the terminal's signals with temporal-ctl, as any child would.
  const detached = Boolean(io.interruptible);
  // Umask 077: terraform's state, its backup and plan files hold passwords (docker's CLI writes nothing).
  const child = withPrivateUmask(() => spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached }));
  const watch = io.interruptible ? forwardInterrupts(child, (n) => io.out.warn(noticeText(n))) : undefined;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    try {
      if (detached && child.pid) process.kill(-child.pid, 'SIGINT');
      else child.kill('SIGINT');
    } catch {
      // Ended already.
    }
  };
  if (io.abort?.aborted) onAbort();
  else io.abort?.addEventListener('abort', onAbort, { once: true });
  let stdout = '';
  let stderr = '';
  let rest = '';
  // Verbose output goes out whole lines at a time, so Output's secret mask sees each secret whole.
  const show = (t: string) => io.out.streams.stderr.write(t);
  const shown = io.verbose ? lineWriter(show) : undefined;
  const shownErr = io.verbose ? lineWriter(show) : undefined;
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    stdout += text;
    shown?.write(text);
    if (!onLine) return;
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
    shownErr?.write(d.toString('utf8'));
  });
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      stderr += e.message;
      resolve(e.code === 'ENOENT' ? NOT_FOUND : null);
    });
    child.on('close', (code) => resolve(code));
  });
  shown?.flush();
  shownErr?.flush();
  watch?.stop();
  io.abort?.removeEventListener('abort', onAbort);
  if (onLine && rest) onLine(rest);
  const signal = watch?.received();
  return {
    exitCode,
    stdout,
    stderr,
    command,
    ...(signal ? { interrupted: { signal, killed: watch!.killed() } } : {}),
    ...(aborted ? { aborted } : {}),
  };
}

/** Collects text and passes it on in whole lines (the rest at flush). */
function lineWriter(write: (text: string) => void) {
  let pending = '';
  return {
    write(text: string) {
      pending += text;
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      write(pending.slice(0, end + 1));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) write(pending);
      pending = '';
    },
  };
}

function noticeText(n: InterruptNotice): string {
  return n.kind === 'forwarded'
    ? `${n.signal} received: terraform finishes the step in progress and saves its state (this can take a minute); press Ctrl-C again to kill it`
    : `${n.signal} received again: killing terraform; a container it was creating may be left outside its state (the next \`temporal-ctl start\` removes it)`;
}

/** An argument as a POSIX shell would need it, for showing the command. */
function displayQuoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
