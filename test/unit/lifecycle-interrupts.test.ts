// The interrupt watch of start and down outside terraform: a signal ends the step in progress
// with an InterruptedError that says what state the cluster is in (exit 130 / 143 / 129). Signals are
// delivered with process.emit, which runs the same listeners a real signal would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InterruptedError, OperationError } from '../../src/errors.js';
import { watchInterrupts } from '../../src/interrupts.js';

const BEFORE = { when: 'before anything', leaves: 'nothing changed' };
const WAITING = { when: 'while waiting for health', leaves: 'the containers keep running' };
const listeners = () =>
  process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') + process.listenerCount('SIGHUP');

describe('lifecycle interrupts', () => {
  it('a SIGINT ends the step in progress at once with exit 130, naming the state, and aborts its signal', async () => {
    const before = listeners();
    const watch = watchInterrupts(BEFORE);
    let stepSignal: AbortSignal | undefined;
    const step = watch.during(WAITING, (signal) => {
      stepSignal = signal;
      return new Promise<never>(() => undefined); // a wait that would never end by itself
    });
    process.emit('SIGINT', 'SIGINT');
    const error = await step.catch((e: unknown) => e);
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 130);
    assert.equal(error.message, 'interrupted while waiting for health: the containers keep running');
    assert.equal(stepSignal?.aborted, true);
    // The next step does not start, and a second signal gets the default behaviour back.
    assert.throws(() => watch.at(BEFORE), /interrupted while waiting for health/);
    assert.equal(listeners(), before);
    watch.stop();
  });

  it('SIGTERM gives 143; a failure caused by the interrupt is explained as the interrupt, others pass unchanged', async () => {
    const quiet = watchInterrupts(BEFORE);
    const other = new OperationError('boom');
    assert.equal(quiet.explain(other), other);
    quiet.stop();
    const watch = watchInterrupts(BEFORE);
    watch.at(WAITING);
    process.emit('SIGTERM', 'SIGTERM');
    const explained = watch.explain(new Error('cancelled'));
    assert.ok(explained instanceof InterruptedError);
    assert.equal(explained.exitCode, 143);
    assert.match(explained.message, /^interrupted while waiting for health/);
    // terraform's own interrupt (what it did) is kept as it is
    const terraforms = new InterruptedError('SIGTERM', 'interrupted: terraform stopped after the step in progress');
    assert.equal(watch.explain(terraforms), terraforms);
    watch.stop();
  });

  it('SIGHUP (a dropped terminal or ssh session) ends the step like SIGTERM, with exit 129', async () => {
    const watch = watchInterrupts(BEFORE);
    const step = watch.during(WAITING, () => new Promise<never>(() => undefined));
    process.emit('SIGHUP', 'SIGHUP');
    const error = await step.catch((e: unknown) => e);
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 129);
    assert.equal(error.message, 'interrupted while waiting for health: the containers keep running');
    watch.stop();
  });

  it('without a signal a step resolves as usual and stop() removes the listeners', async () => {
    const before = listeners();
    const watch = watchInterrupts(BEFORE);
    assert.equal(listeners(), before + 3);
    assert.equal(await watch.during(WAITING, async () => 42), 42);
    watch.stop();
    assert.equal(listeners(), before);
  });
});
