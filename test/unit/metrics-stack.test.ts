// The metrics part of the stack: the server's endpoint always, Prometheus and Grafana with
// TEMPORAL_METRICS=prometheus. Prometheus runs for real in test/e2e/metrics.test.ts; Grafana cannot
// be had here, so its container is checked as synthesized.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseConfig } from '../../src/project/parse.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { GRAFANA_FILES } from '../../src/model/metrics-stack.js';
import { synth } from './stack-helpers.js';

const PRODUCTION = {
  TEMPORAL_PROFILE: 'production',
  TEMPORAL_VISIBILITY: 'postgres',
  POSTGRES_PASSWORD: 'pg-secret-71',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret-71',
};

const published = (ports: { internal: number; external: number; ip: string }[] | undefined) =>
  (ports ?? []).map((p) => `${p.ip}:${p.external}->${p.internal}`);

test("the server's metrics endpoint is on by default and published on loopback as TEMPORAL_METRICS_PORT", () => {
  const s = synth();
  assert.equal(s.env('server').PROMETHEUS_ENDPOINT, '0.0.0.0:8000');
  assert.ok(published(s.container('server').ports).includes('127.0.0.1:7244->8000'));
  assert.equal(s.resources.docker_container!.prometheus, undefined);
  assert.equal(s.resources.docker_container!.grafana, undefined);
  assert.equal(s.resources.docker_volume!.prometheus_data, undefined);
  assert.equal(s.outputs.metrics_url!.value, 'http://127.0.0.1:7244/metrics');
});

test('prometheus adds Prometheus scraping the server over the network, with its protected volume and retention', () => {
  const s = synth({ TEMPORAL_METRICS: 'prometheus', PROMETHEUS_RETENTION: '12h' });
  const p = s.container('prometheus');
  assert.equal(p.name, 'temporal-prometheus');
  assert.deepEqual(published(p.ports), ['127.0.0.1:9097->9090']);
  assert.deepEqual(p.command, [
    '--config.file=/etc/prometheus/prometheus.yml',
    '--storage.tsdb.path=/prometheus',
    '--storage.tsdb.retention.time=12h',
  ]);
  assert.deepEqual(p.mounts, [
    { type: 'volume', source: '${docker_volume.prometheus_data.name}', target: '/prometheus' },
  ]);
  const volume = s.resources.docker_volume!.prometheus_data!;
  assert.equal(volume.name, 'temporal-prometheus-data');
  assert.deepEqual(volume.lifecycle, { prevent_destroy: true });
  assert.deepEqual(p.depends_on, ['docker_container.server']);
  assert.match(p.healthcheck.test[1], /\/-\/ready$/);
  const [upload] = p.upload;
  assert.equal(upload.file, '/etc/prometheus/prometheus.yml');
  const config = parse(upload.content);
  const server = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'temporal-server');
  assert.deepEqual(server.static_configs[0].targets, ['temporal-server:8000']);
  assert.equal(server.metrics_path, '/metrics');
});

test('Grafana comes with Prometheus, provisioned from the files in temporal-config/grafana', () => {
  const s = synth({ TEMPORAL_METRICS: 'prometheus' });
  const g = s.container('grafana');
  assert.deepEqual(published(g.ports), ['127.0.0.1:3300->3000']);
  assert.deepEqual(g.depends_on, ['docker_container.prometheus']);
  const env = s.env('grafana');
  assert.equal(env.PROMETHEUS_URL, 'http://temporal-prometheus:9090');
  assert.equal(env.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
  assert.equal(env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH, '/etc/grafana/dashboards/temporal-server.json');
  assert.deepEqual(
    g.upload.map((u: { file: string; content: string }) => [u.file, u.content]),
    GRAFANA_FILES.map((f) => [f.target, readFileSync(resolve(PROJECT_ROOT, 'temporal-config', f.source), 'utf8')]),
  );
  assert.deepEqual(s.resources.docker_volume!.grafana_data!.lifecycle, { prevent_destroy: true });
  assert.match(g.healthcheck.test[1], /\/api\/health$/);
});

test('TEMPORAL_GRAFANA=off runs Prometheus alone', () => {
  const s = synth({ TEMPORAL_METRICS: 'prometheus', TEMPORAL_GRAFANA: 'off' });
  assert.ok(s.resources.docker_container!.prometheus);
  assert.equal(s.resources.docker_container!.grafana, undefined);
  assert.equal(s.resources.docker_volume!.grafana_data, undefined);
});

test("the server's metrics port stays on the stores' address when the frontend is published beyond the host", () => {
  const s = synth({ TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0', TEMPORAL_STORE_PUBLISH_ADDRESS: '127.0.0.1' });
  const ports = published(s.container('server').ports);
  assert.ok(ports.includes('127.0.0.1:7244->8000'), ports.join(', '));
  assert.ok(ports.includes('0.0.0.0:7233->7233'), ports.join(', '));
  assert.ok(!ports.some((p) => p.startsWith('0.0.0.0:7244')), ports.join(', '));
});

test("Prometheus and Grafana are published on the stores' address (development's default: the publish address)", () => {
  const ips = (s: ReturnType<typeof synth>, id: string) => s.container(id).ports.map((p: { ip: string }) => p.ip);
  const dev = synth({ TEMPORAL_METRICS: 'prometheus', TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' });
  for (const id of ['ui', 'prometheus', 'grafana']) assert.deepEqual(ips(dev, id), ['0.0.0.0'], id);
  const apart = synth({
    TEMPORAL_METRICS: 'prometheus',
    TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0',
    TEMPORAL_STORE_PUBLISH_ADDRESS: '127.0.0.1',
  });
  assert.deepEqual(ips(apart, 'ui'), ['0.0.0.0']);
  for (const id of ['prometheus', 'grafana']) assert.deepEqual(ips(apart, id), ['127.0.0.1'], id);
});

test("Grafana's admin password: admin in development, the secret in production, where it is required", () => {
  assert.equal(synth({ TEMPORAL_METRICS: 'prometheus' }).env('grafana').GF_SECURITY_ADMIN_PASSWORD, 'admin');
  assert.equal(
    synth({ ...PRODUCTION, TEMPORAL_METRICS: 'prometheus' }).env('grafana').GF_SECURITY_ADMIN_PASSWORD,
    'grafana-secret-71',
  );
  const missing = parseConfig({ env: { ...PRODUCTION, GRAFANA_ADMIN_PASSWORD: '', TEMPORAL_METRICS: 'prometheus' } });
  assert.deepEqual(!missing.ok && missing.errors, [
    'GRAFANA_ADMIN_PASSWORD: must not be empty in the production profile with Grafana on; set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or GRAFANA_ADMIN_PASSWORD_FILE, or use TEMPORAL_GRAFANA=off (set in the environment)',
  ]);
  // Not needed where no Grafana runs.
  for (const off of [{ TEMPORAL_METRICS: 'none' }, { TEMPORAL_METRICS: 'prometheus', TEMPORAL_GRAFANA: 'off' }])
    assert.ok(parseConfig({ env: { ...PRODUCTION, GRAFANA_ADMIN_PASSWORD: '', ...off } }).ok, JSON.stringify(off));
});

test('the metrics ports take part in the clash check, only when their service runs', () => {
  const clash = parseConfig({ env: { TEMPORAL_METRICS: 'prometheus', GRAFANA_PORT: '7233' } });
  assert.equal(clash.ok, false);
  assert.ok(
    !clash.ok && clash.errors.some((e) => /^GRAFANA_PORT: port 7233 is already used by TEMPORAL_GRPC_PORT/.test(e)),
  );
  assert.equal(parseConfig({ env: { GRAFANA_PORT: '7233' } }).ok, true);
  const bad = parseConfig({ env: { TEMPORAL_METRICS_PORT: '7243' } });
  assert.ok(!bad.ok && bad.errors.some((e) => e.startsWith('TEMPORAL_METRICS_PORT: port 7243')));
  const retention = parseConfig({ env: { PROMETHEUS_RETENTION: '15 days' } });
  assert.ok(!retention.ok && retention.errors.some((e) => e.startsWith('PROMETHEUS_RETENTION:')));
});
