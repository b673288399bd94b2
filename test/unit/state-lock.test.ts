// One command that changes the cluster at a time per state directory (src/project/state-lock.ts):
// a second one is refused naming the process that holds the lock; a lock whose process is gone is
// taken over with a message; the CLI takes it for start, plan, down, upgrade, scale, rotate-password
// and restore, before anything else runs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OperationError } from '../../src/errors.js';
import { LOCK_FILE, type LockHolder, lockState } from '../../src/project/state-lock.js';
import { runCli } from '../support/run-cli.js';

const holderFile = (dir: string, holder: Partial<LockHolder>) =>
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ host: hostname(), command: 'start', since: '2026-12-08T00:00:00.000Z', ...holder }),
  );
/** The pid of a process that has ended. */
const deadPid = (): number => spawnSync('true').pid ?? 999_999;

describe('the state lock', () => {
  it('a second taker is refused with the holder named; release frees it for the next', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-lock-'));
    const first = lockState(dir, 'start');
    assert.throws(
      () => lockState(dir, 'down'),
      (e: unknown) =>
        e instanceof OperationError &&
        e.exitCode === 1 &&
        e.message.startsWith(`another temporal-ctl (pid ${process.pid}, \`temporal-ctl start\` since `) &&
        /nothing was changed$/.test(e.message),
    );
    first.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    lockState(dir, 'down').release();
  });

  it('a lock whose process is gone is taken over, and the taker hears whose it was; a torn one silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-lock-'));
    const pid = deadPid();
    holderFile(dir, { pid, command: 'upgrade' });
    const stale: LockHolder[] = [];
    const lock = lockState(dir, 'start', (h) => stale.push(h));
    assert.deepEqual(
      stale.map((h) => [h.pid, h.command]),
      [[pid, 'upgrade']],
    );
    assert.equal((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).pid, process.pid);
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    const heard: LockHolder[] = [];
    lockState(dir, 'start', (h) => heard.push(h)).release();
    assert.deepEqual(heard, []);
  });

  it("release leaves another process's lock alone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-lock-'));
    const lock = lockState(dir, 'start');
    holderFile(dir, { pid: deadPid(), command: 'down' }); // replaced behind its back
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), true);
  });

  it('the CLI refuses start while another live process holds the lock (exit 1, before the engine is asked), and takes a stale one over', async () => {
    const project = mkdtempSync(join(tmpdir(), 'tctl-lock-cli-'));
    writeFileSync(join(project, 'temporal.env'), 'TEMPORAL_PROJECT=locked\n');
    const stateDir = join(project, '.temporal-ctl');
    mkdirSync(stateDir);
    const holder = spawn('sleep', ['30']);
    try {
      holderFile(stateDir, { pid: holder.pid!, command: 'down' });
      // An engine that does not exist: reaching it would be a different error.
      const env = {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        TEMPORAL_ENV_FILE: join(project, 'temporal.env'),
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      };
      const refused = await runCli(['start'], { env });
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, new RegExp(`another temporal-ctl \\(pid ${holder.pid}, \`temporal-ctl down\``));
      assert.doesNotMatch(refused.stderr, /not reachable/);
      holder.kill();
      await new Promise((done) => holder.once('exit', done));
      const taken = await runCli(['start'], { env });
      assert.match(taken.stderr, new RegExp(`took over the lock of pid ${holder.pid} \\(\`temporal-ctl down\``));
      assert.match(taken.stderr, /not reachable/, 'then start goes on, to the engine');
      assert.equal(existsSync(join(stateDir, LOCK_FILE)), false, 'released when start ended');
    } finally {
      holder.kill();
    }
  });
});
