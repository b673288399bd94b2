// `status` reports whether a worker can use TEMPORAL_NAMESPACE, and `status --wait` waits for it,
// against the test env's real server: a namespace that does not exist makes status unhealthy; once
// Temporal's own CLI registers it, `status --wait` returns 0 and Temporal's CLI can start a
// workflow in it at once (what "usable" promises a worker).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { cliEnv, spawnCli, type Ran } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const execFileP = promisify(execFile);
const env = loadTestEnv();
const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');
const ENV_FILE = resolve(PROJECT_ROOT, '.test-env/temporal.env');
const unique = (base: string) => `${base}-${process.pid}-${Date.now().toString(36)}`;

const status = (namespace: string, ...args: string[]): Promise<Ran> =>
  spawnCli(['--env-file', ENV_FILE, 'status', ...args], { bin: BIN, env: cliEnv({ TEMPORAL_NAMESPACE: namespace }) });

/** Temporal's own CLI against the test server. */
const temporal = (...args: string[]) =>
  execFileP(env!.cli.temporal, [...args, '--address', env!.temporal.address], { timeout: 30_000 });

describe('status checks that a worker can use TEMPORAL_NAMESPACE (real server)', {
  skip: !env && NOT_UP_MESSAGE,
}, () => {
  it('exits 1 naming a namespace that does not exist, in text and JSON; the services stay healthy', async () => {
    const name = unique('absent');
    const json = await status(name, '-o', 'json');
    assert.equal(json.code, 1, json.stderr);
    const doc = JSON.parse(json.stdout) as StatusDocument;
    assert.deepEqual(doc.namespace && { name: doc.namespace.name, state: doc.namespace.state }, {
      name,
      state: 'not-found',
    });
    assert.equal(doc.healthy, false);
    assert.ok(
      doc.services.every((s) => s.healthy),
      json.stdout,
    );
    assert.match(json.stderr, new RegExp(`unhealthy: namespace ${name} \\(not found`));
    const text = await status(name);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, new RegExp(`namespace ${name} .*unusable.*not found: create it`));
    // The server has no such namespace: its own CLI says so too.
    await assert.rejects(temporal('operator', 'namespace', 'describe', '-n', name), /not found/i);
  });

  it('status --wait returns 0 once the namespace registered meanwhile is usable, and a workflow starts in it at once', async () => {
    const name = unique('later');
    const started = performance.now();
    const waiting = status(name, '--wait', '--timeout', '60s', '-o', 'json');
    await new Promise((r) => setTimeout(r, 1_500)); // status --wait polls a missing namespace meanwhile
    await temporal('operator', 'namespace', 'create', '-n', name, '--retention', '1d');
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as StatusDocument;
    assert.equal(doc.namespace?.state, 'usable');
    assert.ok(performance.now() - started > 1_500, 'it waited for the registration');
    const wf = await temporal(
      'workflow',
      'start',
      '-n',
      name,
      '--task-queue',
      'status-wait',
      '--type',
      'StatusWait',
      '--workflow-id',
      'status-wait',
      '-o',
      'json',
    );
    assert.match(wf.stdout, /"runId"/);
  });

  it('the default namespace of the test env is reported usable (exit 0)', async () => {
    const r = await status('default', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as StatusDocument).namespace?.state, 'usable');
  });
});
