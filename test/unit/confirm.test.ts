// The typed confirmation of destructive commands (src/cli/confirm.ts): the helper itself, and
// `namespace delete` through run() against a listener that records whether anything was contacted.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { confirmTyped, type Confirmation } from '../../src/commands/confirm.js';
import { OperationError, UsageError } from '../../src/errors.js';
import { Output } from '../../src/output.js';
import { runCli } from '../support/run-cli.js';

const ASK: Confirmation = {
  action: 'delete the data volumes of stack demo-development',
  name: 'demo',
  nameIs: 'the project name',
  yes: false,
};

/** An Output whose stdin is a terminal with `typed` on it (or not a terminal), and the prompt text it wrote. */
function terminal(typed: string | undefined): { out: Output; prompt: () => string } {
  let prompt = '';
  const sink = (isTTY: boolean) =>
    Object.assign(
      new Writable({
        write(c, _e, done) {
          prompt += String(c);
          done();
        },
      }),
      { isTTY },
    );
  const stdin = Object.assign(new PassThrough(), { isTTY: typed !== undefined });
  if (typed !== undefined) stdin.end(typed);
  return { out: new Output({ stdout: sink(false), stderr: sink(false), stdin }, 'never', {}), prompt: () => prompt };
}

describe('confirmTyped', () => {
  it('without a terminal and without --yes refuses with a usage error (exit 2) that says to pass --yes', async () => {
    await assert.rejects(
      confirmTyped(terminal(undefined).out, ASK),
      (e: unknown) =>
        e instanceof UsageError &&
        e.exitCode === 2 &&
        e.message ===
          'refusing to delete the data volumes of stack demo-development without confirmation: stdin is not a terminal, so pass --yes',
    );
  });
  it('with --yes needs no terminal and asks nothing', async () => {
    const t = terminal(undefined);
    await confirmTyped(t.out, { ...ASK, yes: true });
    assert.equal(t.prompt(), '');
  });
  it('asks for the name on stderr and accepts it typed (surrounding spaces ignored)', async () => {
    const t = terminal('  demo \n');
    await confirmTyped(t.out, ASK);
    assert.equal(
      t.prompt(),
      'Delete the data volumes of stack demo-development? Type the project name "demo" to confirm: ',
    );
  });
  for (const [what, typed, shown] of [
    ['a wrong name', 'demo-production\n', 'demo-production'],
    ['end of input', '', ''],
  ] as const) {
    it(`treats ${what} as a refusal (exit 1, nothing deleted)`, async () => {
      await assert.rejects(
        confirmTyped(terminal(typed).out, ASK),
        (e: unknown) =>
          e instanceof OperationError &&
          e.exitCode === 1 &&
          e.message === `"${shown}" does not match "demo": nothing was deleted`,
      );
    });
  }
});

describe('namespace delete asks before it contacts the server', () => {
  let server: Server;
  const contacts: Socket[] = [];
  let env: Record<string, string | undefined>;
  before(async () => {
    server = createServer((s) => {
      contacts.push(s);
      s.destroy();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const envFile = join(mkdtempSync(join(tmpdir(), 'tctl-confirm-')), 'temporal.env');
    writeFileSync(envFile, '');
    env = {
      PATH: process.env.PATH,
      NO_COLOR: '1',
      TEMPORAL_ENV_FILE: envFile,
      TEMPORAL_ADDRESS: `127.0.0.1:${(server.address() as { port: number }).port}`,
    };
  });
  after(() => server.close());

  it('exits 2 without a terminal and without --yes, and never connects', async () => {
    const r = await runCli(['namespace', 'delete', 'scratch'], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /error: refusing to delete namespace "scratch" and all its workflows without confirmation: stdin is not a terminal, so pass --yes/,
    );
    assert.equal(contacts.length, 0);
  });

  it('exits 1 when the typed name does not match, and never connects', async () => {
    const r = await runCli(['namespace', 'delete', 'scratch'], { env, typed: 'scratch2\n' });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Type the namespace name "scratch" to confirm: /);
    assert.match(r.stderr, /error: "scratch2" does not match "scratch": nothing was deleted/);
    assert.equal(contacts.length, 0);
  });
});
