// start's --timeout running out before the apply, in `terraform init` (which can take long while it
// fetches the provider on a loaded machine): the real terraform is stopped, and the user reads that
// the timeout ran out during init and what to do, not "init failed with exit code unknown".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { terraformInit } from '../../src/deploy/terraform.js';
import { OperationError } from '../../src/errors.js';
import { Output } from '../../src/output.js';

const hasTerraform = spawnSync('terraform', ['version']).status === 0;
const isCI = process.env.CI === 'true' || process.env.CI === '1';
if (!hasTerraform && isCI) throw new Error('terraform is not installed (scripts/test-env up installs it)');

describe('--timeout during terraform init (real terraform)', {
  skip: hasTerraform ? false : 'terraform is not installed: run `bash scripts/test-env up`',
}, () => {
  it('says the timeout ran out during init, and to run again with a longer --timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-init-timeout-'));
    const out = new Output({ stdout: new PassThrough(), stderr: new PassThrough() }, 'never', {});
    await assert.rejects(
      terraformInit(dir, { env: process.env, out, verbose: false, abort: AbortSignal.abort() }),
      (e: unknown) =>
        e instanceof OperationError &&
        e.message === '--timeout ran out during `terraform init`' &&
        /run the command again with a longer --timeout/.test(e.hint ?? ''),
    );
  });
});
