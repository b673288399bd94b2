// Ctrl-C while terraform runs, with real processes: a shell script stands in for terraform (the real
// one is in test/e2e/interrupt.test.ts) and records which signals reach it. The test sends the
// signals to its own process, as a terminal's Ctrl-C reaches temporal-ctl.
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApplyProgress, readApplyLine } from '../../src/deploy/apply.js';
import { exec, type ExecIO } from '../../src/deploy/exec.js';
import { Output } from '../../src/output.js';

function io(extra: Partial<ExecIO> = {}): { io: ExecIO; stderr: () => string } {
  let text = '';
  const sink = { write: (s: string | Uint8Array) => ((text += String(s)), true) } as unknown as NodeJS.WriteStream;
  const out = new Output({ stdout: sink, stderr: sink }, 'never', {});
  return { io: { env: process.env, out, verbose: false, ...extra }, stderr: () => text };
}

/** Writes "started" to stdout, then each INT it gets to `log`; exits 3 on the first, as terraform ends after its step. */
const TRAPPING = (log: string) =>
  `trap 'echo INT >> ${log}; sleep 0.3; exit 3' INT; echo started; for i in $(seq 100); do sleep 0.1; done`;

const waitFor = (pattern: RegExp, seen: () => string): Promise<void> =>
  new Promise((resolve) => {
    const poll = setInterval(() => pattern.test(seen()) && (clearInterval(poll), resolve()), 10);
  });

/** The first SIGINT (Ctrl-C) or SIGHUP (the terminal went away) reaches the program once, as SIGINT. */
for (const signal of ['SIGINT', 'SIGHUP'] as const)
  test(`a first ${signal} is forwarded once to the program as SIGINT, which finishes; the result says so and a warning tells the user`, async () => {
    const log = join(await mkdtemp(join(tmpdir(), 'tctl-int-')), 'signals');
    const { io: ioOf, stderr } = io({ interruptible: true });
    let stdout = '';
    const running = exec('sh', ['-c', TRAPPING(log)], ioOf, undefined, (l) => (stdout += l));
    await waitFor(/started/, () => stdout);
    process.kill(process.pid, signal);
    const r = await running;
    assert.equal(r.exitCode, 3);
    assert.deepEqual(r.interrupted, { signal, killed: false });
    assert.equal((await readFile(log, 'utf8')).trim(), 'INT');
    assert.match(
      stderr(),
      new RegExp(`${signal} received: terraform finishes the step in progress and saves its state`),
    );
    // Another one while temporal-ctl reports the interrupt is absorbed (by default it would end this process).
    process.kill(process.pid, signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

test('without a signal, the handlers are removed once the program ended', async () => {
  const before = process.listenerCount('SIGTERM');
  const r = await exec('sh', ['-c', 'exit 0'], io({ interruptible: true }).io);
  assert.equal(r.exitCode, 0);
  assert.equal(r.interrupted, undefined);
  assert.equal(process.listenerCount('SIGTERM'), before);
});

test('a second signal (SIGTERM after SIGINT) kills the program, with a warning', async () => {
  const log = join(await mkdtemp(join(tmpdir(), 'tctl-int-')), 'signals');
  const { io: ioOf, stderr } = io({ interruptible: true });
  let stdout = '';
  // Ignores the interrupt and goes on: only a kill ends it early.
  const script = `trap 'echo INT >> ${log}' INT; echo started; for i in $(seq 100); do sleep 0.1; done`;
  const running = exec('sh', ['-c', script], ioOf, undefined, (l) => (stdout += l));
  await waitFor(/started/, () => stdout);
  process.kill(process.pid, 'SIGINT');
  await waitFor(/SIGINT received/, stderr);
  process.kill(process.pid, 'SIGTERM');
  const started = performance.now();
  const r = await running;
  assert.ok(performance.now() - started < 2000, 'killed, not run to its end');
  assert.equal(r.exitCode, null);
  assert.deepEqual(r.interrupted, { signal: 'SIGINT', killed: true });
  assert.match(stderr(), /SIGTERM received again: killing terraform/);
});

test("an abort (start's deadline) stops the program as a first Ctrl-C does", async () => {
  const log = join(await mkdtemp(join(tmpdir(), 'tctl-int-')), 'signals');
  const { io: ioOf } = io({ abort: AbortSignal.timeout(300) });
  const r = await exec('sh', ['-c', TRAPPING(log)], ioOf);
  assert.equal(r.exitCode, 3);
  assert.equal(r.aborted, true);
  assert.equal(r.interrupted, undefined);
});

test('a program that is not there exits NOT_FOUND (127), as a shell would say', async () => {
  const r = await exec('temporal-ctl-no-such-program', [], io().io);
  assert.equal(r.exitCode, 127);
});

test("terraform's planned changes and completed steps give the interrupt's one line", () => {
  const p = new ApplyProgress();
  const lines = [
    { type: 'planned_change', change: { resource: { addr: 'docker_network.network' }, action: 'create' } },
    { type: 'planned_change', change: { resource: { addr: 'docker_container.postgresql' }, action: 'create' } },
    { type: 'planned_change', change: { resource: { addr: 'docker_container.server' }, action: 'create' } },
    { type: 'apply_start', hook: { resource: { addr: 'docker_network.network' }, action: 'create' } },
    { type: 'apply_complete', hook: { resource: { addr: 'docker_network.network' }, action: 'create' } },
    { type: 'apply_start', hook: { resource: { addr: 'docker_container.postgresql' }, action: 'create' } },
  ];
  for (const l of lines) {
    const read = readApplyLine(JSON.stringify(l));
    if (read.planned) p.planned.add(read.planned);
    if (read.change) p.record(read.change, 1000);
  }
  assert.equal(
    p.interruptedText(false),
    'interrupted: terraform stopped after the step in progress and saved its state with 1 of 3 changes done (1 other resource); postgresql was cut short and may be left outside the state; the next `temporal-ctl start` continues from there',
  );
  assert.match(
    p.interruptedText(true),
    /terraform was killed with 1 of 3 changes done .*; postgresql was cut short and may be left outside the state; the next `temporal-ctl start` removes such leftovers/,
  );
  assert.equal(p.slowestText(126_000), 'still waiting for postgresql (for 2m5s, the slowest)');
});
