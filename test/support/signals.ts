// Cleanup when a suite is interrupted (Ctrl-C, a CI runner's SIGTERM, the test runner killed). The
// handler runs first (prepended, before node:test's own one, which exits at once), so it is synchronous.
import { running } from './cli.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/** Sleeps without returning to the event loop (a signal handler has no later tick). */
const sleepSync = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const alive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops every CLI this process started, with its children (terraform, its provider): TERM, then KILL after graceMs. */
export function stopRunningClis(graceMs = 10_000): void {
  const pids = [...running].map((c) => c.pid).filter((p): p is number => p !== undefined);
  for (const pid of pids)
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) sleepSync(100);
  for (const pid of pids.filter(alive))
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
}

/**
 * On SIGINT/SIGTERM, or when the parent (the `node --test` runner) is gone, which would leave this
 * file running on its own: stop the CLIs, run `cleanup` (synchronous), exit 128 + signal number.
 */
export function onInterrupt(cleanup: (reason: string) => void): () => void {
  const interrupted = (reason: string, code: number) => {
    process.stderr.write(`\n${reason}: stopping and cleaning up\n`);
    stopRunningClis();
    try {
      cleanup(reason);
    } finally {
      process.exit(code);
    }
  };
  const handlers = Object.entries(SIGNALS).map(([signal, number]) => {
    const handler = () => interrupted(signal, 128 + number);
    process.prependListener(signal as NodeJS.Signals, handler);
    return [signal, handler] as const;
  });
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid !== parent) interrupted('the test runner exited', 129);
  }, 500).unref();
  return () => {
    clearInterval(orphaned);
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
