// The checks both e2e runs make: once their cluster is deployed (by `start` or by `cdktf deploy`),
// every enabled service healthy; after `down --volumes`, nothing of the project left anywhere.
import assert from 'node:assert/strict';
import { enabledServices, stackName } from '../../src/config/derive.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { json, tail } from '../support/cli.js';
import { engineState, stateResources, userStateFile } from './engine.js';
import type { E2eRun } from './fixture.js';

export async function assertAllHealthy(run: E2eRun): Promise<void> {
  const r = await run.ctl(['status', '--json', '--wait', '--timeout', '120s']);
  assert.equal(r.code, 0, tail(r));
  const doc = json<StatusDocument>(r);
  assert.equal(doc.mode, 'containers');
  assert.equal(doc.stack, stackName(run.config));
  assert.deepEqual(
    doc.services.map((s) => s.service),
    enabledServices(run.config),
  );
  for (const s of doc.services) assert.ok(s.healthy, `${s.service}: ${s.detail}`);
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
