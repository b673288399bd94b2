// A directory, a FIFO or a socket where a file is expected (the env file, its secrets file, a
// KEY_FILE): a config error (exit 2) naming the path and what it is, never an internal error, and
// never a read that blocks until something writes into the FIFO.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.js';

const fifo = (path: string) => execFileSync('mkfifo', [path]);
const project = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-unreadable-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};
const configShow = (dir: string, envFile = join(dir, 'temporal.env')) =>
  runCli(['config', 'show'], { env: { PATH: process.env.PATH, NO_COLOR: '1', TEMPORAL_ENV_FILE: envFile } });

describe('files that are not regular files', { timeout: 20_000 }, () => {
  it('a directory as the env file', async () => {
    const dir = project({});
    mkdirSync(join(dir, 'temporal.env'));
    const r = await configShow(dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /temporal\.env cannot be read as an env file \(it is a directory\); name a dotenv file/);
    assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
  });

  it('a FIFO as the secrets file', async () => {
    const dir = project({ 'temporal.env': 'TEMPORAL_PROJECT=fifo\n' });
    fifo(join(dir, 'temporal.secrets.env'));
    const r = await configShow(dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /temporal\.secrets\.env cannot be read as an env file \(it is a FIFO \(named pipe\)\)/);
  });

  it('a FIFO or a directory as a KEY_FILE', async () => {
    const dir = project({});
    fifo(join(dir, 'pw'));
    writeFileSync(join(dir, 'temporal.env'), `POSTGRES_PASSWORD_FILE=${join(dir, 'pw')}\n`);
    const r = await configShow(dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /POSTGRES_PASSWORD_FILE: cannot read .*\/pw \(it is a FIFO \(named pipe\)\); name a readable file/,
    );
    writeFileSync(join(dir, 'temporal.env'), `POSTGRES_PASSWORD_FILE=${dir}\n`);
    const d = await configShow(dir);
    assert.equal(d.code, 2, d.stderr);
    assert.match(d.stderr, /POSTGRES_PASSWORD_FILE: cannot read .* \(it is a directory\)/);
  });
});
