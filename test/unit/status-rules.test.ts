// How status combines container state and probe results, and how schema versions
// are judged. Probes here are scripted Probe objects: the rules, not the services,
// are under test (the real services are in test/integration/probes.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import type { ServiceName } from '../../src/model/services.js';
import type { StackContainer } from '../../src/docker/container-state.js';
import { collectStatus } from '../../src/probes/collect.js';
import { statusDocument } from '../../src/probes/document.js';
import { outdatedSchemas, schemaProblem } from '../../src/probes/schema-versions.js';
import { compareVersions, expectedSchema, SERVER_SCHEMAS } from '../../src/config/server-schemas.js';
import type { Probe } from '../../src/probes/probe.js';

const config = (): ClusterConfig => {
  const parsed = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres', TEMPORAL_PROJECT: 'rules' } });
  assert.ok(parsed.ok);
  return parsed.config;
};
const healthyProbe = (service: ServiceName): Probe => ({
  service,
  run: async () => ({ healthy: true, detail: 'fine', version: '1' }),
});
const probes = (['postgresql', 'server', 'ui'] as const).map(healthyProbe);
const container = (
  service: ServiceName,
  state: StackContainer['state'],
  extra: Partial<StackContainer> = {},
): StackContainer => ({
  service,
  instance: service,
  resourceId: service,
  addresses: [],
  id: service,
  name: `rules-${service}`,
  image: 'img:1',
  imageId: 'sha256:1',
  state,
  restartCount: 0,
  ...extra,
});
const allUp = () => [
  container('postgresql', 'running'),
  container('schema', 'exited', { exitCode: 0 }),
  container('server', 'running'),
  container('ui', 'running'),
  container('admin-tools', 'running'),
];

describe('status rules', () => {
  it('is healthy when every probe is healthy and every container is up (schema job exited 0)', async () => {
    const s = await collectStatus(config(), { namespace: false, probes, listContainers: async () => allUp() });
    assert.equal(s.mode, 'containers');
    assert.deepEqual(
      s.services.map((x) => [x.service, x.healthy]),
      [
        ['postgresql', true],
        ['schema', true],
        ['server', true],
        ['ui', true],
        ['admin-tools', true],
      ],
    );
    assert.equal(s.healthy, true);
  });

  it('is unhealthy when a container crash-loops even if its port still answers', async () => {
    const containers = allUp().map((c) =>
      c.service === 'server' ? container('server', 'restarting', { restartCount: 7 }) : c,
    );
    const s = await collectStatus(config(), { namespace: false, probes, listContainers: async () => containers });
    const server = s.services.find((x) => x.service === 'server')!;
    assert.equal(server.healthy, false);
    assert.equal(server.detail, 'container is restarting, restarted 7 times: see `temporal-ctl logs server`; fine');
    assert.equal(s.healthy, false);
  });

  it('is unhealthy when the schema job failed', async () => {
    const containers = allUp().map((c) =>
      c.service === 'schema' ? container('schema', 'exited', { exitCode: 1 }) : c,
    );
    const s = await collectStatus(config(), { namespace: false, probes, listContainers: async () => containers });
    assert.match(s.services.find((x) => x.service === 'schema')!.detail, /^schema job failed with exit code 1/);
  });

  it('omits schema and admin-tools and says probe-only when no container of the stack exists', async () => {
    const s = await collectStatus(config(), { namespace: false, probes, listContainers: async () => [] });
    assert.equal(s.mode, 'probe-only');
    assert.deepEqual(
      s.services.map((x) => x.service),
      ['postgresql', 'server', 'ui'],
    );
    assert.equal(s.healthy, true);
  });

  it('turns an unreachable Docker engine into a warning, not a failure', async () => {
    const s = await collectStatus(config(), {
      namespace: false,
      probes,
      listContainers: async () => {
        throw new Error('connect ENOENT /var/run/docker.sock');
      },
    });
    assert.equal(s.mode, 'probe-only');
    assert.deepEqual(s.warnings, [
      'connect ENOENT /var/run/docker.sock; container states are unknown, the probes decide',
    ]);
    assert.equal(s.healthy, true);
  });

  it('documents containers in the JSON document with null for what is unknown', async () => {
    const s = await collectStatus(config(), { namespace: false, probes, listContainers: async () => allUp() });
    const doc = statusDocument(s);
    assert.deepEqual(doc.services[1], {
      service: 'schema',
      instance: 'schema',
      healthy: true,
      probed: false,
      container: { name: 'rules-schema', state: 'exited', health: null, exitCode: 0, restartCount: 0, node: null },
      detail: 'schema job exited 0',
      version: null,
      latencyMs: null,
      data: null,
    });
  });
});

describe('schema versions', () => {
  it('compares dotted versions numerically', () => {
    assert.equal(compareVersions('1.9', '1.19'), -1);
    assert.equal(compareVersions('1.19', '1.19'), 0);
    assert.equal(compareVersions('1.20', '1.19'), 1);
  });

  it('flags a schema older than the 1.32 server needs and accepts the current one', () => {
    const want = expectedSchema('1.32.2');
    assert.deepEqual(want, { temporal: '1.19', visibility: '1.14' });
    assert.deepEqual(outdatedSchemas({ temporal: '1.18', visibility: '1.9' }, want!), [
      'temporal 1.18 < 1.19',
      'visibility 1.9 < 1.14',
    ]);
    assert.deepEqual(outdatedSchemas({ temporal: '1.19', visibility: '1.14' }, want!), []);
  });

  it('finds a row by minor for any patch, and none for a minor it lacks', () => {
    assert.deepEqual(expectedSchema('1.31.9'), {
      temporal: SERVER_SCHEMAS['1.31']!.temporal,
      visibility: SERVER_SCHEMAS['1.31']!.visibility,
    });
    assert.deepEqual(expectedSchema('v1.30.0'), { temporal: '1.18', visibility: '1.13' });
    assert.equal(expectedSchema('1.33.0'), undefined);
    assert.equal(expectedSchema('1.3.2'), undefined, '1.3 is not 1.30');
  });

  it('judges every server version: stale, current, or a minor without a row (unhealthy, naming the known ones)', () => {
    assert.equal(
      schemaProblem({ temporal: '1.18' }, '1.32.2'),
      'schema older than server 1.32.2 needs (temporal 1.18 < 1.19): run the schema job (`temporal-ctl start`)',
    );
    assert.equal(schemaProblem({ temporal: '1.19', visibility: '1.14' }, '1.32.2'), undefined);
    assert.equal(schemaProblem(undefined, '1.32.2'), undefined, 'an unread schema is the frontend check to report');
    assert.equal(
      schemaProblem({ temporal: '1.19' }, '1.33.0'),
      'temporal-ctl does not know which schema Temporal server 1.33.0 requires (it knows 1.30, 1.31, 1.32): run a server of a known minor, or a temporal-ctl release that knows this one',
    );
  });
});
