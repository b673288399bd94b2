// One command that changes the cluster at a time per state directory: two `start`s (or a `start`
// and a `down`) running terraform on the same state at once would each plan against what the other
// is changing. The lock is a file the first one creates exclusively, naming its process; a second
// command is refused with that process named. A lock whose process is gone (killed, SIGKILL, a
// crashed machine) is taken over with a message: nothing else would ever remove it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OperationError } from '../errors.js';

export const LOCK_FILE = 'temporal-ctl.lock';

/** Who holds the lock, as its file records it. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

export interface StateLock {
  /** Removes the lock file when it is still this process's. */
  release(): void;
}

/**
 * Takes the lock of `stateDir` for `command`; `onTakeover` hears of a stale lock taken over.
 * Throws an OperationError naming the holder when another live process has it.
 */
export function lockState(
  stateDir: string,
  command: string,
  onTakeover: (stale: LockHolder) => void = () => undefined,
): StateLock {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, mine)) return { release: () => releaseIfMine(file, mine) };
    const holder = read(file);
    if (holder && alive(holder)) throw heldBy(holder, stateDir);
    if (holder) onTakeover(holder);
    rmSync(file, { force: true }); // stale, or torn by a process killed while writing it
  }
  throw new OperationError(`could not take the lock ${file}: another temporal-ctl keeps taking it`);
}

function create(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function read(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder still runs. On another host it cannot be told: it counts as running. */
function alive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

function heldBy(holder: LockHolder, stateDir: string): OperationError {
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return new OperationError(
    `another temporal-ctl (${where}, \`temporal-ctl ${holder.command}\` since ${holder.since}) is changing this cluster; nothing was changed`,
    {
      hint: `wait for it to finish and run the command again; if that process is gone for good, delete ${join(stateDir, LOCK_FILE)}`,
    },
  );
}

function releaseIfMine(file: string, mine: LockHolder): void {
  const holder = read(file);
  if (holder?.pid === mine.pid && holder.host === mine.host && holder.since === mine.since)
    rmSync(file, { force: true });
}
