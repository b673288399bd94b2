// `temporal-ctl top` in a pipe against the test environment's real server: one line (or JSON
// object) per interval, and Ctrl-C (SIGINT) ends it with exit 0. The terminal view (log-update,
// sparklines) is the same summary drawn in place; sparkline scaling is unit-tested.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { cliEnv } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const testEnv = loadTestEnv();
const SKIP = testEnv ? false : NOT_UP_MESSAGE;
const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');

/** Runs top until it printed `lines` lines, then sends SIGINT; its lines and exit code. */
function topUntil(args: string[], lines: number): Promise<{ lines: string[]; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, '--env-file', testEnv!.envFile, 'top', '--interval', '1s', ...args], {
    env: cliEnv(),
  });
  let stdout = '';
  let stderr = '';
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.split('\n').length > lines) child.kill('SIGINT');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(guard);
      done({ lines: stdout.split('\n').filter(Boolean), code, stderr });
    }),
  );
}

describe('temporal-ctl top (spawned binary, real server)', { skip: SKIP }, () => {
  it('prints one line per interval in a pipe and exits 0 on Ctrl-C', async () => {
    const r = await topUntil([], 2);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.lines.length >= 2, r.lines.join('\n'));
    const line =
      /^\d{4}-\d\d-\d\dT[\d:.]+Z req=[\d.]+\/s err=[\d.]+\/s persist=[\d.]+\/s persist_p95=(-|[\d.]+ms) shards=4 acquisitions=\d+ backlog=(\d+|-)$/;
    for (const l of r.lines) assert.match(l, line);
    const times = r.lines.map((l) => Date.parse(l.split(' ')[0]!));
    assert.ok(times[1]! - times[0]! >= 900, `${times[1]! - times[0]!} ms apart`); // one per --interval
  });

  it('-o json prints one JSON summary per line', async () => {
    const r = await topUntil(['-o', 'json'], 2);
    assert.equal(r.code, 0, r.stderr);
    for (const l of r.lines) {
      const doc = JSON.parse(l) as { state: string; url: string; windowSeconds: number; shards: { owned: number } };
      assert.equal(doc.state, 'ok');
      assert.equal(doc.url, testEnv!.temporal.metricsUrl);
      assert.ok(doc.windowSeconds > 0.5 && doc.windowSeconds < 10, `${doc.windowSeconds}`);
      assert.equal(doc.shards.owned, 4);
    }
  });
});
