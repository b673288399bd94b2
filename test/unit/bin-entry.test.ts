// The installed entry (bin/temporal-ctl, run as an executable the way npm links it): `--env-file`
// reaches temporal-ctl, not Node, which would otherwise take it as its own and exit 9 with
// "node: missing.env: not found" when the file is missing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, 'bin', 'temporal-ctl');
const exitOf = (args: string[], cwd: string) =>
  run(BIN, args, { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('bin/temporal-ctl', () => {
  it("a missing --env-file is temporal-ctl's config error (exit 2), in both spellings", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-bin-'));
    for (const args of [
      ['--env-file', 'missing.env', 'config', 'show'],
      ['--env-file=missing.env', 'config', 'show'],
    ]) {
      const r = await exitOf(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /env file .*missing\.env does not exist/);
      assert.doesNotMatch(r.stderr, /^node:/m);
    }
  });

  it('an existing --env-file is read by temporal-ctl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-bin-'));
    writeFileSync(join(dir, 'other.env'), 'TEMPORAL_PROJECT=from-the-file\n');
    const r = await exitOf(['--env-file', 'other.env', 'config', 'show', '-o', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const keys = (JSON.parse(r.stdout) as { keys: { key: string; value: unknown }[] }).keys;
    assert.equal(keys.find((k) => k.key === 'TEMPORAL_PROJECT')?.value, 'from-the-file');
  });
});
