// The checks both e2e runs make: once their cluster is deployed (by `start` or by `cdktf deploy`),
// every enabled service healthy; after `down --volumes`, nothing of the project left anywhere.
import assert from 'node:assert/strict';
import { stackName } from '../../src/model/names-and-endpoints.js';
import { enabledInstances } from '../../src/model/service-facts.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { cliEnv, json, tail } from '../support/cli.js';
import { loadConfig } from '../../src/project/load.js';
import { engineState, stateResources, userStateFile } from './engine.js';
import type { E2eRun } from './fixture.js';

export async function assertAllHealthy(run: E2eRun): Promise<void> {
  const r = await run.ctl(['status', '--json', '--wait', '--timeout', '120s']);
  assert.equal(r.code, 0, tail(r));
  assertServicesHealthy(run, json<StatusDocument>(r));
  assert.equal(json<StatusDocument>(r).namespace?.state, 'usable');
}

/**
 * A cluster no `start` ran on (`cdktf deploy` creates no namespace): every service healthy, and
 * status exits 1 because TEMPORAL_NAMESPACE does not exist (`status --wait` would wait for it).
 */
export async function assertHealthyWithoutNamespace(run: E2eRun): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await run.ctl(['status', '--json']);
    const doc = json<StatusDocument>(r);
    if (doc.services.every((s) => s.healthy) || Date.now() > deadline) {
      assertServicesHealthy(run, doc);
      assert.equal(doc.namespace?.state, 'not-found', tail(r));
      assert.equal(r.code, 1, tail(r));
      assert.match(r.stderr, new RegExp(`unhealthy: namespace ${run.config.TEMPORAL_NAMESPACE} \\(not found`));
      return;
    }
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

function assertServicesHealthy(run: E2eRun, doc: StatusDocument): void {
  assert.equal(doc.mode, 'containers');
  assert.equal(doc.stack, stackName(run.config));
  // The config as the run's temporal.env holds it now: a suite may have edited it since it started.
  const config = loadConfig({ envFile: run.envFile, env: cliEnv() }).config;
  assert.deepEqual(
    doc.services.map((s) => s.instance),
    enabledInstances(config).map((i) => i.name),
  );
  for (const s of doc.services) assert.ok(s.healthy, `${s.instance}: ${s.detail}`);
}

/** `down --volumes --yes`: no container, network or volume of the project on the engine, an empty state. */
export async function assertDownRemovesAll(run: E2eRun): Promise<void> {
  const r = await run.ctl(['down', '--volumes', '--yes']);
  assert.equal(r.code, 0, tail(r));
  assert.deepEqual(await engineState(run.docker, run.config.TEMPORAL_PROJECT), {
    containers: [],
    networks: [],
    volumes: [],
  });
  assert.deepEqual(stateResources(userStateFile(run.workdir, run.config)) ?? [], []);
}
