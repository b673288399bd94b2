// The service model is the one list of services: a service added to it shows up in every derived
// list (images, ports and their clash check, memory, volumes, endpoints, names users type, probes),
// and a declaration without a probe, or a service without a construct, does not compile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceConstructs } from '../../stacks/service-constructs.js';
import type { ServiceDecl } from '../../src/model/services.js';

// Add a fake service before the derived module loads (it reads the model once, at import).
const { SERVICE_MODEL } = await import('../../src/model/services.js');
const fake: ServiceDecl<keyof typeof SERVICE_MODEL> = {
  description: 'a fake metrics service for this test',
  aliases: ['metrics'],
  image: 'TEMPORAL_UI_IMAGE',
  ports: [
    {
      name: 'http',
      key: 'ELASTICSEARCH_PORT',
      container: 9090,
      purpose: 'Fake metrics',
      endpoint: { label: 'Metrics', rank: 9, url: (host, port) => `http://${host}:${port}/metrics` },
    },
  ],
  memoryKey: 'TEMPORAL_UI_MEMORY',
  memoryMiB: () => 300,
  volume: { suffix: 'fake-data', target: '/data', resourceId: 'fake_data' },
  kind: 'long-running',
  enabled: (c) => c.TEMPORAL_VISIBILITY === 'postgres',
  after: ['server'],
  probe: 'container-state',
  capabilities: [],
  pidsLimit: 128,
  resourceId: 'fake',
};
Object.assign(SERVICE_MODEL, { fake });
const model = await import('../../src/model/service-facts.js');
const { parseConfig } = await import('../../src/project/parse.js');
const { probesFor } = await import('../../src/probes/run-probes.js');
const { SERVICE_PROBES } = await import('../../src/probes/service-probes.js');

const config = (env: Record<string, string> = {}) => {
  const r = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres', ...env } });
  assert.ok(r.ok, JSON.stringify(r));
  return r.config;
};
const fakeName = 'fake' as never;

describe('a service added to the model', () => {
  it('is listed, in model order, when its enabled() says so', () => {
    assert.deepEqual(model.enabledServices(config()), ['postgresql', 'schema', 'server', 'ui', 'admin-tools', 'fake']);
    assert.ok(!model.enabledServices(config({ TEMPORAL_VISIBILITY: 'elasticsearch' })).includes(fakeName));
  });

  it('publishes its port, prints its endpoint and takes part in the port-clash check', () => {
    const c = config({ ELASTICSEARCH_PORT: '9999' });
    assert.ok(model.publishedPorts(c).some((p) => p.service === fakeName && p.host === 9999 && p.container === 9090));
    assert.ok(
      model.printedEndpoints(c).some((e) => e.label === 'Metrics' && e.url === 'http://127.0.0.1:9999/metrics'),
    );
    const clash = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres', ELASTICSEARCH_PORT: '7233' } });
    assert.deepEqual(clash.ok ? [] : clash.errors, [
      'ELASTICSEARCH_PORT: port 7233 is already used by TEMPORAL_GRPC_PORT; give each service its own port (set in the environment)',
    ]);
  });

  it('adds its memory to the budget, its volume to the volumes and its alias to the names users type', () => {
    const c = config();
    const budget = model.memoryBudget(c);
    assert.deepEqual(
      budget.parts.find((p) => p.service === fakeName),
      { service: 'fake', key: 'TEMPORAL_UI_MEMORY', mib: 300 },
    );
    assert.equal(
      budget.mib,
      budget.parts.reduce((s, p) => s + p.mib, 0),
    );
    assert.ok(model.volumes(c).some((v) => v.name === 'temporal-fake-data' && v.target === '/data'));
    assert.equal(model.resolveService('metrics'), 'fake');
    assert.equal(model.containerAddress(model.serviceDecl(fakeName)), 'docker_container.fake');
  });

  it('needs no image of its own when it shares one, and is judged by container state without a probe', async () => {
    const c = config();
    assert.equal(new Set(model.requiredImages(c)).size, model.requiredImages(c).length);
    const probes = await probesFor(model.enabledServices(c));
    assert.deepEqual(probes.map((p) => p.service).sort(), ['postgresql', 'server', 'ui']);
  });
});

describe('what the compiler enforces', () => {
  it('a declaration without a probe does not type-check', () => {
    const { probe: _omitted, ...withoutProbe } = fake;
    // @ts-expect-error: `probe` is required (a protocol probe, or 'container-state' said out loud)
    const decl: ServiceDecl = withoutProbe;
    assert.equal('probe' in decl, false);
  });

  it('a probe registry without every protocol-probed service does not type-check', () => {
    const { grafana: _omitted, ...partial } = SERVICE_PROBES;
    // @ts-expect-error: grafana declares probe: 'protocol', so the registry must name its probe
    const registry: typeof SERVICE_PROBES = partial;
    assert.equal('grafana' in registry, false);
  });

  it('a construct registry without every service does not type-check', () => {
    type Registry = Omit<ServiceConstructs, 'fake'>;
    const partial = {} as Omit<Registry, 'ui'>;
    // @ts-expect-error: the registry must name a construct for 'ui'
    const registry: Registry = partial;
    assert.ok(registry);
  });
});
