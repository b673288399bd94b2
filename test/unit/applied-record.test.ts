// start's record of what it last applied: a second start skips terraform only when the config, the
// files the stack uploads (TLS files included) and temporal-ctl's version are what that apply used.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { comparedWithApplied, configFingerprint, recordApplied } from '../../src/lifecycle/applied.js';
import { writeCertificates } from '../../src/tls/files.js';
import { issueCertificates } from '../../src/tls/issue.js';

function project(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-applied-'));
  writeFileSync(join(dir, 'temporal.env'), ['TEMPORAL_PROJECT=appliedtest', ...lines].join('\n'));
  mkdirSync(join(dir, '.temporal-ctl'), { mode: 0o700 });
  return dir;
}
const load = (dir: string) => loadConfig({ envFile: join(dir, 'temporal.env'), env: {}, cwd: '/' });

describe("start's applied-config record", () => {
  it('is unknown before any start (as after a cdktf deploy, which writes none), the same after one', () => {
    const dir = project(['TEMPORAL_VISIBILITY=elasticsearch']);
    assert.equal(comparedWithApplied(load(dir)), 'unknown');
    recordApplied(load(dir));
    assert.equal(comparedWithApplied(load(dir)), 'same');
    const file = join(dir, '.temporal-ctl', 'applied.appliedtest-development.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /temporal/, 'no config value in the record, only its hash');
  });

  it('reads as changed after an edit of temporal.env, such as the visibility switch', () => {
    const dir = project(['TEMPORAL_VISIBILITY=elasticsearch']);
    recordApplied(load(dir));
    writeFileSync(join(dir, 'temporal.env'), 'TEMPORAL_PROJECT=appliedtest\nTEMPORAL_VISIBILITY=postgres\n');
    assert.equal(comparedWithApplied(load(dir)), 'changed');
  });

  it("reads as changed after an edit of the project's dynamic config file", () => {
    const dir = project([]);
    const before = configFingerprint(load(dir));
    recordApplied(load(dir));
    mkdirSync(join(dir, 'temporal-config'));
    const name = load(dir).config.TEMPORAL_DYNAMIC_CONFIG;
    writeFileSync(join(dir, 'temporal-config', name), 'limit.maxIDLength:\n  - value: 255\n');
    assert.notEqual(configFingerprint(load(dir)), before);
    assert.equal(comparedWithApplied(load(dir)), 'changed');
  });

  it('reads as changed after renewed certificates: same paths, new content (certs create --force)', async () => {
    const dir = project(['TEMPORAL_TLS=mtls']);
    const dirOfCerts = join(dir, '.temporal-ctl', 'certs');
    await writeCertificates(dirOfCerts, issueCertificates({ serverNames: ['x'] }), false);
    recordApplied(load(dir));
    assert.equal(comparedWithApplied(load(dir)), 'same');
    await writeCertificates(dirOfCerts, issueCertificates({ serverNames: ['x'] }), true);
    assert.equal(comparedWithApplied(load(dir)), 'changed');
  });

  it('reads an unreadable record as changed (start applies and writes it anew)', () => {
    const dir = project([]);
    writeFileSync(join(dir, '.temporal-ctl', 'applied.appliedtest-development.json'), '{torn');
    assert.equal(comparedWithApplied(load(dir)), 'changed');
  });
});
