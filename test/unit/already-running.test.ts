// start's no-op rule: every enabled service's container is up and runs the image id the configured
// reference resolves to. The stack's provider creates containers from docker_image's id, so the
// container's own image field holds `sha256:...`, never the reference (checked on a real engine in
// test/integration/start-cli.test.ts and after `cdktf deploy` in test/e2e/cdktf-deploy.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import type { ServiceName } from '../../src/model/services.js';
import type { StackContainer } from '../../src/docker/container-state.js';
import { runsAsConfigured } from '../../src/lifecycle/already-running.js';
import { enabledInstances, enabledServices, imageFor } from '../../src/model/service-facts.js';

const parsed = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres' } });
assert.ok(parsed.ok);
const config = parsed.config;
const idOf = (ref: string) => `sha256:${Buffer.from(ref).toString('hex').slice(0, 16)}`;
const imageIds = new Map(enabledServices(config).map((s) => [imageFor(config, s), idOf(imageFor(config, s))]));

/** Containers as the provider creates them: Config.Image is the image id. */
const created = (change: Partial<Record<ServiceName, Partial<StackContainer>>> = {}): StackContainer[] =>
  enabledServices(config).map((service) => {
    const id = idOf(imageFor(config, service));
    const oneShot = service === 'schema';
    return {
      service,
      instance: service,
      resourceId: service,
      addresses: [],
      id: service,
      name: `temporal-${service}`,
      image: id,
      imageId: id,
      state: oneShot ? 'exited' : 'running',
      exitCode: oneShot ? 0 : undefined,
      health: oneShot ? undefined : 'healthy',
      restartCount: 0,
      ...change[service],
    };
  });

test('containers created from the configured images by id count as running as configured', () => {
  assert.equal(runsAsConfigured(config, created(), imageIds), true);
});

test('a container created by reference counts by the id it runs, not by the reference it was given', () => {
  const ref = imageFor(config, 'server');
  assert.equal(runsAsConfigured(config, created({ server: { image: ref } }), imageIds), true);
});

test('a reference re-tagged to another image (docker load of a new build) is not running as configured', () => {
  const retagged = new Map(imageIds).set(imageFor(config, 'ui'), 'sha256:another');
  assert.equal(runsAsConfigured(config, created(), retagged), false);
});

test('a configured image missing from the engine, a missing or unhealthy container, or a failed job is not running', () => {
  const missing = new Map(imageIds);
  missing.delete(imageFor(config, 'postgresql'));
  assert.equal(runsAsConfigured(config, created(), missing), false);
  assert.equal(
    runsAsConfigured(
      config,
      created().filter((c) => c.service !== 'admin-tools'),
      imageIds,
    ),
    false,
  );
  assert.equal(runsAsConfigured(config, created({ server: { health: 'unhealthy' } }), imageIds), false);
  assert.equal(runsAsConfigured(config, created({ schema: { exitCode: 1 } }), imageIds), false);
});

test('with roles, every instance counts: one missing or exited history instance is not running as configured', () => {
  const roles = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres', TEMPORAL_TOPOLOGY: 'roles' } });
  assert.ok(roles.ok);
  const c = roles.config;
  const ids = new Map(enabledInstances(c).map((i) => [imageFor(c, i.service), idOf(imageFor(c, i.service))]));
  const all: StackContainer[] = enabledInstances(c).map((i) => ({
    service: i.service,
    instance: i.name,
    resourceId: i.resourceId,
    addresses: [],
    id: i.name,
    name: `temporal-${i.name}`,
    image: idOf(imageFor(c, i.service)),
    imageId: idOf(imageFor(c, i.service)),
    state: i.service === 'schema' ? 'exited' : 'running',
    exitCode: i.service === 'schema' ? 0 : undefined,
    restartCount: 0,
  }));
  assert.equal(runsAsConfigured(c, all, ids), true);
  assert.equal(
    runsAsConfigured(
      c,
      all.filter((x) => x.instance !== 'history-2'),
      ids,
    ),
    false,
  );
  const exited = all.map((x) => (x.instance === 'history-2' ? { ...x, state: 'exited' as const, exitCode: 137 } : x));
  assert.equal(runsAsConfigured(c, exited, ids), false);
});
