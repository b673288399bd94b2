// upgrade's judgements that need no cluster: the chain (one minor at a time, no downgrade), the
// config of a step and what it writes into temporal.env, start's refusal of a release change, and
// which plans an upgrade may apply. The upgrade itself runs end to end in test/e2e/upgrade.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setEnvFileKeys, withKeysSet } from '../../src/config/env-file-edit.js';
import { type LoadedConfig, loadConfig } from '../../src/project/load.js';
import { parseDotenv } from '../../src/config/dotenv.js';
import { summarizePlan } from '../../src/deploy/plan-summary.js';
import { assertOnlyRelease, releaseServices } from '../../src/lifecycle/upgrade-server.js';
import { stepConfig } from '../../src/lifecycle/upgrade-config.js';
import { SERVER_SCHEMAS } from '../../src/config/server-schemas.js';
import { skipRefusal, upgradeChain } from '../../src/model/upgrade-chain.js';
import { factConflicts, factsInEffect } from '../../src/preflight/facts.js';
import { configFrom } from './stack-helpers.js';

const newest = (minor: string) => SERVER_SCHEMAS[minor]!.newestPatch;

describe('the upgrade chain', () => {
  it('steps through every minor at its newest patch, ending at the requested release', () => {
    assert.deepEqual(upgradeChain('1.30.0', '1.32.2').steps, [newest('1.31'), '1.32.2']);
    assert.deepEqual(upgradeChain('v1.31.0', '1.32.0').steps, ['1.32.0']);
    assert.deepEqual(upgradeChain('1.32.0', '1.32.2').steps, ['1.32.2'], 'a patch is one step');
    assert.deepEqual(upgradeChain('1.32.2', '1.32.2').steps, [], 'nothing to do');
  });
  it('refuses a downgrade and an unknown minor with exit code 2', () => {
    const down = (() => {
      try {
        upgradeChain('1.32.2', '1.31.2');
      } catch (e) {
        return e as { exitCode: number; message: string };
      }
    })();
    assert.equal(down?.exitCode, 2);
    assert.match(down!.message, /refusing to downgrade the server from 1\.32\.2 to 1\.31\.2/);
    assert.throws(
      () => upgradeChain('1.32.2', '1.33.0'),
      /does not know which schema Temporal server 1\.33\.0 requires/,
    );
    assert.throws(() => upgradeChain('1.29.3', '1.30.9'), /1\.29\.3/);
  });
  it('a skip is refused with the chain and each command to run', () => {
    const e = skipRefusal(upgradeChain('1.30.9', '1.32.2'));
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /1\.30\.9 to 1\.32\.2 goes through 1\.31\.2 -> 1\.32\.2/);
    assert.match(e.hint!, /temporal-ctl upgrade --to 1\.31\.2, then temporal-ctl upgrade --to 1\.32\.2/);
    assert.match(e.hint!, /--chain/);
  });
});

/** The config loadConfig loads from an env file with this text (in a directory of its own) and the environment. */
function loaded(fileText: string, env: Record<string, string> = {}): LoadedConfig {
  const envFile = join(mkdtempSync(join(tmpdir(), 'tctl-upgrade-')), 'temporal.env');
  writeFileSync(envFile, fileText);
  return loadConfig({ envFile, env });
}

describe('the config of an upgrade step', () => {
  it('moves the version and the derived images; writes only TEMPORAL_VERSION when the rest is defaulted', () => {
    const l = loaded('TEMPORAL_VERSION=1.31.2\nTEMPORAL_IMAGE_REGISTRY=mirror.local\n');
    const step = stepConfig(l, '1.32.2');
    assert.equal(step.config.TEMPORAL_VERSION, '1.32.2');
    assert.equal(step.config.TEMPORAL_ADMINTOOLS_VERSION, '1.32.2');
    assert.equal(step.config.TEMPORAL_SERVER_IMAGE, 'mirror.local/temporalio/server:1.32.2');
    assert.equal(step.config.TEMPORAL_ADMINTOOLS_IMAGE, 'mirror.local/temporalio/admin-tools:1.32.2');
    assert.deepEqual(step.toWrite, { TEMPORAL_VERSION: '1.32.2' });
    // What the file says afterwards loads to the step's config: the next start runs the same.
    const after = loaded(withKeysSet(readFileSync(l.envFile!, 'utf8'), step.toWrite, 'x'));
    assert.deepEqual(after.config, step.config);
  });
  it('rewrites image and admin-tools keys the file sets; refuses an image without the release tag', () => {
    const l = loaded(
      'TEMPORAL_VERSION=1.31.2\nTEMPORAL_ADMINTOOLS_VERSION=1.31.2\nTEMPORAL_SERVER_IMAGE=reg/x/server:1.31.2\n',
    );
    assert.deepEqual(stepConfig(l, '1.32.2').toWrite, {
      TEMPORAL_VERSION: '1.32.2',
      TEMPORAL_ADMINTOOLS_VERSION: '1.32.2',
      TEMPORAL_SERVER_IMAGE: 'reg/x/server:1.32.2',
    });
    const pinned = loaded('TEMPORAL_VERSION=1.31.2\nTEMPORAL_SERVER_IMAGE=reg/x/server:stable\n');
    assert.throws(() => stepConfig(pinned, '1.32.2'), /TEMPORAL_SERVER_IMAGE=reg\/x\/server:stable does not carry/);
  });
  it('refuses a release key from the environment, which would override what it records', () => {
    const l = loaded('', { TEMPORAL_VERSION: '1.31.2' });
    assert.throws(() => stepConfig(l, '1.32.2'), /TEMPORAL_VERSION=1\.31\.2 comes from the environment/);
    // Already the step's release there: nothing to record, nothing refused.
    assert.deepEqual(stepConfig(loaded('', { TEMPORAL_VERSION: '1.32.2' }), '1.32.2').toWrite, {});
  });
});

describe('temporal.env edits', () => {
  it('replaces every assignment of a key, keeps comments and other lines, appends a missing key', () => {
    const text = '# mine\nexport TEMPORAL_VERSION=1.31.2 # old\nPOSTGRES_PORT=5433\nTEMPORAL_VERSION=1.31.1\n';
    assert.equal(
      withKeysSet(text, { TEMPORAL_VERSION: '1.32.2', TEMPORAL_ADMINTOOLS_VERSION: '1.32.2' }, 'by upgrade'),
      '# mine\nexport TEMPORAL_VERSION=1.32.2\nPOSTGRES_PORT=5433\nTEMPORAL_VERSION=1.32.2\n# by upgrade\nTEMPORAL_ADMINTOOLS_VERSION=1.32.2\n',
    );
  });
  it('keeps the file mode, and creates a missing file readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-envfile-'));
    const file = join(dir, 'temporal.env');
    writeFileSync(file, 'A=1\n', { mode: 0o640 });
    setEnvFileKeys(file, { TEMPORAL_VERSION: '1.32.2' }, 'n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    const fresh = join(dir, 'new.env');
    setEnvFileKeys(fresh, { TEMPORAL_VERSION: '1.32.2' }, 'n');
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    assert.equal(parseDotenv(readFileSync(fresh, 'utf8')).values.TEMPORAL_VERSION, '1.32.2');
  });
});

describe("start's release guard (recorded facts)", () => {
  const recorded = factsInEffect(configFrom({ TEMPORAL_VERSION: '1.31.2' }));
  it('lets start apply the same release or a patch of its minor', () => {
    assert.equal(factConflicts(configFrom({ TEMPORAL_VERSION: '1.31.2' }), recorded), undefined);
    assert.equal(factConflicts(configFrom({ TEMPORAL_VERSION: '1.31.3' }), recorded), undefined);
  });
  it('refuses another minor with the upgrade command, and an older release as a downgrade (exit 2)', () => {
    const up = factConflicts(configFrom({ TEMPORAL_VERSION: '1.32.2' }), recorded)!;
    assert.equal(up.exitCode, 2);
    assert.match(up.message, /start does not upgrade the server; run `temporal-ctl upgrade --to 1\.32\.2`/);
    assert.match(up.hint!, /docs\/operations\.md#upgrading-the-server/);
    const down = factConflicts(configFrom({ TEMPORAL_VERSION: '1.30.9' }), recorded)!;
    assert.match(down.message, /older than the 1\.31\.2 this cluster runs: Temporal does not support downgrades/);
    // upgrade itself skips this check (it judges the chain).
    assert.equal(factConflicts(configFrom({ TEMPORAL_VERSION: '1.32.2' }), recorded, { version: false }), undefined);
  });
});

describe('the plans an upgrade applies', () => {
  const change = (type: string, name: string, actions: string[]) => ({
    address: `${type}.${name}`,
    type,
    name,
    change: { actions },
  });
  it('the release services are those running the server and admin-tools images', () =>
    assert.deepEqual(releaseServices().sort(), [
      'admin-tools',
      'frontend',
      'history',
      'matching',
      'schema',
      'server',
      'worker',
    ]));
  it('accepts the release services and images; refuses any other change', () => {
    const release = summarizePlan({
      resource_changes: [
        change('docker_container', 'server', ['delete', 'create']),
        change('docker_container', 'schema', ['delete', 'create']),
        change('docker_image', 'image_x', ['create']),
      ],
    });
    assert.doesNotThrow(() => assertOnlyRelease(release));
    const more = summarizePlan({
      resource_changes: [
        change('docker_container', 'server', ['delete', 'create']),
        change('docker_container', 'postgresql', ['update']),
      ],
    });
    assert.throws(() => assertOnlyRelease(more), /also changes postgresql \(update\): the config holds other edits/);
    assert.throws(() => assertOnlyRelease(release, ['schema']), /also changes server \(replace\)/);
  });
});
