// Grafana's provisioning files (temporal-config/grafana/) parse, and every dashboard panel and query
// names the datasource the files provision. No Grafana image can be had where the tests run, so
// this and the synthesized stack (metrics-stack.test.ts) are what is tested of Grafana's part.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import {
  GRAFANA_DASHBOARD_DIR,
  GRAFANA_FILES,
  GRAFANA_HOME_DASHBOARD,
  grafanaProvisioningEnv,
} from '../../src/model/metrics-stack.js';
import { configFrom } from './stack-helpers.js';

const read = (source: string): string => readFileSync(resolve(PROJECT_ROOT, 'temporal-config', source), 'utf8');
const target = (suffix: string) => GRAFANA_FILES.find((f) => f.target.includes(suffix))!;
const datasources = parse(read(target('/provisioning/datasources/').source));
const providers = parse(read(target('/provisioning/dashboards/').source));
const dashboards = GRAFANA_FILES.filter((f) => f.target.startsWith(`${GRAFANA_DASHBOARD_DIR}/`));

test('the datasource file provisions one Prometheus datasource with a fixed uid and name, the default', () => {
  assert.equal(datasources.apiVersion, 1);
  assert.equal(datasources.datasources.length, 1);
  const [ds] = datasources.datasources;
  assert.equal(ds.type, 'prometheus');
  assert.match(ds.uid, /^[\w-]{1,40}$/);
  assert.ok(ds.name);
  assert.equal(ds.isDefault, true);
});

test('every $VARIABLE the datasource file reads is in the Grafana container environment', () => {
  const env = grafanaProvisioningEnv(configFrom({ TEMPORAL_METRICS: 'prometheus' }));
  const used = [...read(target('/provisioning/datasources/').source).matchAll(/^[^#]*\$\{?([A-Z_]+)/gm)].map(
    (m) => m[1],
  );
  assert.deepEqual(used.sort(), ['PROMETHEUS_URL', 'SCRAPE_INTERVAL']);
  for (const v of used) assert.ok(env[v!], v);
  assert.equal(env.PROMETHEUS_URL, 'http://temporal-prometheus:9090');
});

test('the dashboard provider loads the directory the dashboards are uploaded to', () => {
  assert.equal(providers.apiVersion, 1);
  assert.deepEqual(
    providers.providers.map((p: { type: string; options: { path: string } }) => [p.type, p.options.path]),
    [['file', GRAFANA_DASHBOARD_DIR]],
  );
  assert.ok(dashboards.length >= 1);
  assert.ok(dashboards.some((d) => d.target === GRAFANA_HOME_DASHBOARD));
});

for (const file of dashboards) {
  test(`${file.source}: every panel and query uses the provisioned datasource by its uid`, () => {
    const [ds] = datasources.datasources;
    const dashboard = JSON.parse(read(file.source));
    assert.match(dashboard.uid, /^[\w-]{1,40}$/);
    const panels = (dashboard.panels as any[]).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
    assert.ok(panels.length >= 10, 'a dashboard worth the name');
    const wrong: string[] = [];
    for (const p of panels) {
      const refs = [p.datasource, ...(p.targets ?? []).map((t: { datasource: unknown }) => t.datasource)];
      for (const ref of refs)
        if (!(ref?.type === ds.type && ref?.uid === ds.uid)) wrong.push(`${p.title}: ${JSON.stringify(ref)}`);
      if (!(p.targets?.length > 0)) wrong.push(`${p.title}: no query`);
    }
    assert.deepEqual(wrong, []);
    // Unique panel ids, or Grafana drops panels.
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
  });
}

test('the dashboard queries the metrics that matter: requests, errors, persistence, schedule-to-start, shards', () => {
  const exprs = dashboards.flatMap((f) =>
    (JSON.parse(read(f.source)).panels as any[]).flatMap((p) => (p.targets ?? []).map((t: { expr: string }) => t.expr)),
  );
  for (const metric of [
    'service_requests',
    'service_error_with_type',
    'service_latency_bucket',
    'persistence_latency_bucket',
    'persistence_errors',
    'task_schedule_to_start_latency_bucket',
    'approximate_backlog_count',
    'acquire_shards_latency_bucket',
    'numshards_gauge',
  ])
    assert.ok(
      exprs.some((e) => e.includes(metric)),
      metric,
    );
});
