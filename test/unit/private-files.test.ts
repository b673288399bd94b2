// The state directory's files are the owner's alone, including what was written outside temporal-ctl's
// umask 077: terraform's provider lock (644 whatever the umask), the .gitignore, a `cdktf deploy`'s state.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { privateTree, withPrivateUmask } from '../../src/deploy/private-files.js';

const mode = (path: string) => statSync(path).mode & 0o777;

test("privateTree takes group and other permissions off files and directories, keeping the owner's", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-private-'));
  const stack = join(dir, 'cdktf.out');
  mkdirSync(stack, { mode: 0o755 });
  chmodSync(stack, 0o755);
  const lock = join(stack, '.terraform.lock.hcl');
  writeFileSync(lock, '');
  chmodSync(lock, 0o644);
  const provider = join(stack, 'provider');
  writeFileSync(provider, '');
  chmodSync(provider, 0o755);
  const outside = join(mkdtempSync(join(tmpdir(), 'tctl-outside-')), 'file');
  writeFileSync(outside, '');
  chmodSync(outside, 0o644);
  symlinkSync(outside, join(stack, 'link'));
  privateTree(dir);
  assert.deepEqual(
    [mode(stack), mode(lock), mode(provider)],
    [0o700, 0o600, 0o700],
    'owner bits kept (an executable stays one), the rest taken',
  );
  assert.equal(mode(outside), 0o644, 'a symlink is not followed out of the directory');
});

test('withPrivateUmask creates files 600 and restores the umask after', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-umask-'));
  const before = process.umask(0o022);
  try {
    withPrivateUmask(() => writeFileSync(join(dir, 'state'), '{}'));
    assert.equal(mode(join(dir, 'state')), 0o600);
  } finally {
    assert.equal(process.umask(before), 0o022, 'the umask is back');
  }
});
