// The project directory owns the state: TEMPORAL_STATE_DIR resolves beside the env file, the CLI's
// synth and `cdktf synth` (stacks/main.ts) point the local backend at the same file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { synthesize } from '../../src/deploy/synth.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function project(lines: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-state-'));
  writeFileSync(
    join(dir, 'temporal.env'),
    ['TEMPORAL_PROJECT=statetest', 'TEMPORAL_VISIBILITY=postgres', ...lines].join('\n'),
  );
  return dir;
}

const backendPath = (json: string): string =>
  (JSON.parse(readFileSync(json, 'utf8')) as { terraform: { backend: { local: { path: string } } } }).terraform.backend
    .local.path;

describe('the state directory', () => {
  it('is .temporal-ctl beside the env file, found from any working directory', () => {
    const dir = project();
    const loaded = loadConfig({ envFile: join(dir, 'temporal.env'), env: {}, cwd: '/' });
    const paths = projectPaths(loaded.config, loaded.projectDir);
    assert.equal(paths.stateFile, join(dir, '.temporal-ctl', 'terraform.statetest-development.tfstate'));
    assert.equal(paths.stackDir, join(dir, '.temporal-ctl', 'cdktf.out', 'stacks', 'statetest-development'));
  });

  it('moves with TEMPORAL_STATE_DIR, relative to the env file', () => {
    const dir = project(['TEMPORAL_STATE_DIR=../shared-state']);
    const loaded = loadConfig({ envFile: join(dir, 'temporal.env'), env: {} });
    assert.equal(projectPaths(loaded.config, loaded.projectDir).stateDir, join(dir, '..', 'shared-state'));
  });

  it('synth writes the stack there, private (700, git-ignored), with the local backend on the project state file', async () => {
    const dir = project();
    const synth = await synthesize(loadConfig({ envFile: join(dir, 'temporal.env'), env: {} }));
    assert.equal(synth.dir, join(dir, '.temporal-ctl', 'cdktf.out', 'stacks', 'statetest-development'));
    assert.equal(backendPath(join(synth.dir, 'cdk.tf.json')), synth.stateFile);
    assert.equal(statSync(join(dir, '.temporal-ctl')).mode & 0o777, 0o700);
    assert.equal(
      readFileSync(join(dir, '.temporal-ctl', '.gitignore'), 'utf8')
        .trim()
        .split('\n')
        .pop(),
      '*',
    );
  });

  it('cdktf synth from a checkout (node dist/stacks/main.js) uses the same state file as the CLI', () => {
    const dir = project();
    const out = join(dir, 'cdktf.out');
    execFileSync(process.execPath, [join(ROOT, 'dist/stacks/main.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH, CDKTF_OUTDIR: out },
    });
    const loaded = loadConfig({ envFile: join(dir, 'temporal.env'), env: {} });
    assert.equal(
      backendPath(join(out, 'stacks', 'statetest-development', 'cdk.tf.json')),
      projectPaths(loaded.config, loaded.projectDir).stateFile,
    );
  });
});
