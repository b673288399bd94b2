// Smoke test of the health endpoints against the running test environment (`bash scripts/test-env
// up`; `npm run smoke` brings one up when needed): `status --json --wait` all healthy -> for each of
// SMOKE_SERVICES (scripts/test-env names, default "ui temporal elasticsearch"): stop it, `status --json` exits 1
// naming exactly that service -> start it, `status --json --wait` recovers. The services expected
// come from the service model and the test environment's config, not from a list here.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { enabledServices, resolveService } from '../../src/model/service-facts.js';
import { type ServiceName } from '../../src/model/services.js';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { probesFor } from '../../src/probes/run-probes.js';
import { cliEnv, json, spawnCli, tail } from '../support/cli.js';
import { isCI, loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';
import { ordered } from '../support/ordered.js';
import { onInterrupt } from '../support/signals.js';

const testEnv = loadTestEnv(); // throws under CI=true when the test environment is not up
const SKIP = !testEnv
  ? NOT_UP_MESSAGE
  : !testEnv.ui
    ? 'the test environment runs no Web UI: run `bash scripts/test-env up`'
    : false;
if (SKIP && isCI()) throw new Error(`smoke: ${SKIP}`);
const STOPPED = (process.env.SMOKE_SERVICES ?? 'ui temporal elasticsearch').split(/\s+/).filter(Boolean);

/** A probe that goes through another service fails with it: the UI lists namespaces through the server. */
const REACHED_THROUGH: Partial<Record<ServiceName, { service: ServiceName; detail: RegExp }[]>> = {
  server: [{ service: 'ui', detail: /cannot reach the server/ }],
};

const TEST_ENV = join(PROJECT_ROOT, 'scripts', 'test-env');
const testEnvCmd = (cmd: 'stop' | 'start', name: string) => promisify(execFile)('bash', [TEST_ENV, cmd, name]);
const unhealthy = (doc: StatusDocument) => doc.services.filter((s) => !s.healthy).map((s) => s.service);

describe('health endpoints of the test environment (status --json)', { skip: SKIP, concurrency: false }, () => {
  const { step } = ordered();
  let probed: ServiceName[] = [];
  let stopped: string | undefined;
  let disarm = () => {};
  const status = (extra: string[] = []) =>
    spawnCli(['--env-file', testEnv!.envFile, 'status', '--json', ...extra], { timeoutMs: 120_000 });

  before(async () => {
    const { config } = loadConfig({ envFile: testEnv!.envFile, env: cliEnv() });
    probed = (await probesFor(enabledServices(config))).map((p) => p.service);
    disarm = onInterrupt(() => {
      if (stopped) execFileSync('bash', [TEST_ENV, 'start', stopped], { stdio: 'ignore' });
    });
  });
  after(async () => {
    disarm();
    if (stopped) await testEnvCmd('start', stopped);
  });

  const healthy = async (t: TestContext) => {
    const r = await status(['--wait', '--timeout', '60s']);
    t.diagnostic(`exit ${r.code} in ${r.ms} ms`);
    assert.equal(r.code, 0, tail(r));
    const doc = json<StatusDocument>(r);
    assert.deepEqual(
      doc.services.map((s) => s.service),
      probed,
      'every enabled service with a probe is reported',
    );
    assert.deepEqual(unhealthy(doc), []);
  };

  step('status --json --wait reports every probed service healthy (exit 0)', healthy);

  for (const name of STOPPED) {
    const service = resolveService(name);
    const through = (service && REACHED_THROUGH[service]?.map((d) => d.service).join(', ')) || '';
    const named = `${service ?? name}${through ? ` (and ${through}, whose probe goes through it)` : ''}`;
    step(`status exits 1 and names exactly ${named} when the test env's ${name} is stopped`, async (t) => {
      assert.ok(
        service && probed.includes(service),
        `SMOKE_SERVICES: "${name}" is no probed service of the model (${probed.join(', ')})`,
      );
      const dependents = (REACHED_THROUGH[service] ?? []).filter((d) => probed.includes(d.service));
      stopped = name; // before the stop: an interrupt during it must still restart the service
      await testEnvCmd('stop', name);
      const r = await status();
      t.diagnostic(`exit ${r.code} in ${r.ms} ms`);
      assert.equal(r.code, 1, tail(r));
      const doc = json<StatusDocument>(r);
      const expected = probed.filter((s) => s === service || dependents.some((d) => d.service === s));
      assert.deepEqual(unhealthy(doc), expected);
      for (const d of dependents) assert.match(doc.services.find((s) => s.service === d.service)!.detail, d.detail);
    });
    step(`status --json --wait sees ${service ?? name} recover when ${name} starts again`, async (t) => {
      await testEnvCmd('start', name);
      stopped = undefined;
      await healthy(t);
    });
  }
});
