// Progress of backup and restore (src/commands/byte-progress.ts): a redrawn line on a terminal,
// plain lines without one, nothing with -o json; stdout stays clean for the result.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { it } from 'node:test';
import { byteProgress } from '../../src/commands/byte-progress.js';
import { Output } from '../../src/output.js';

function capture(tty: boolean) {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let err = '';
  let out = '';
  stderr.on('data', (d) => (err += d));
  stdout.on('data', (d) => (out += d));
  return { output: new Output({ stdout, stderr }, 'never', {}), text: () => ({ err, out }) };
}

/** A step whose bytes arrive after the redraw interval of a terminal (but well within the 10 s of CI lines). */
async function run(tty: boolean, json: boolean) {
  const c = capture(tty);
  const p = byteProgress(c.output, json);
  p.begin('dumping persistence database temporal');
  await new Promise((r) => setTimeout(r, 250));
  p.bytes(3 * 1024 * 1024);
  p.end('dumped temporal: 3.0 MiB in 0.3s');
  p.begin('restoring visibility');
  p.end();
  return c.text();
}

it('on a terminal the step line is redrawn with the bytes so far and replaced by its summary', async () => {
  const { err, out } = await run(true, false);
  assert.equal(out, '');
  assert.match(
    err,
    /^dumping persistence database temporal\.\.\.\r\x1b\[2Kdumping persistence database temporal: 3\.0 MiB\r\x1b\[2Kdumped temporal: 3\.0 MiB in 0\.3s\n/,
  );
  assert.match(err, /restoring visibility\.\.\.\n$/);
});

it('without a terminal each step is one plain line (no control characters), the summary another', async () => {
  const { err } = await run(false, false);
  assert.equal(
    err,
    'dumping persistence database temporal...\ndumped temporal: 3.0 MiB in 0.3s\nrestoring visibility...\n',
  );
});

it('with -o json nothing is written to stderr', async () => {
  assert.deepEqual(await run(true, true), { err: '', out: '' });
});
