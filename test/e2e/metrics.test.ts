// Metrics end to end on the real engine: a cluster started with TEMPORAL_METRICS=prometheus runs the
// real server's metrics endpoint (published on loopback as TEMPORAL_METRICS_PORT) and a real
// Prometheus (the stand-in built from Debian's package, scripts/build-e2e-prometheus) that scrapes it
// over the project network: its target API reports the server up, and a query finds the series a
// small workload (signal_wait.py bulk) made. Grafana runs off: no Grafana image can be had here; its
// part of the stack and its files are unit-tested (test/unit/metrics-stack.test.ts,
// test/unit/grafana-provisioning.test.ts), and its dashboard's queries run in the real Prometheus. `down` keeps Prometheus's volume; `down --volumes` removes it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'node:test';
import { endpointUrl, volumeName } from '../../src/model/service-facts.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { GRAFANA_FILES, SERVER_SCRAPE_JOB } from '../../src/model/metrics-stack.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { json, tail } from '../support/cli.js';
import { loadTestEnv, type TestEnv } from '../support/env.js';
import { engineState } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy, assertDownRemovesAll } from './healthy.js';
import { E2E_PROJECT } from './provision.js';
import { signalWorker, type ClientEnv } from './worker.js';

const PROJECT = `${E2E_PROJECT}-metrics`;
const WORKFLOWS = 10;

/** Polls `check` until it returns a value or the deadline passes; the last value or error explains a failure. */
async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000}s; last: ${String(last)}`);
    await new Promise((ok) => setTimeout(ok, 1000));
  }
}

describe('TEMPORAL_METRICS=prometheus: a real Prometheus scrapes the real server', suiteOptions(), () => {
  const suite = e2eSuite();
  const { step } = suite.steps;
  let run: E2eRun;
  let client: ClientEnv;
  const prometheus = (path: string) =>
    fetch(`${endpointUrl(run.config, 'prometheus', 'http')}${path}`).then((r) => r.json() as Promise<any>);
  const query = async (promql: string) =>
    (await prometheus(`/api/v1/query?query=${encodeURIComponent(promql)}`)).data.result as {
      metric: Record<string, string>;
      value: [number, string];
    }[];

  const STARTED = step('start runs the server, Prometheus and no Grafana; every service healthy', async (t) => {
    run = await suite.start({
      project: PROJECT,
      settings: { TEMPORAL_METRICS: 'prometheus', TEMPORAL_GRAFANA: 'off', TEMPORAL_VISIBILITY: 'postgres' },
    });
    for (const note of run.notes) t.diagnostic(note);
    const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
    assert.equal(r.code, 0, tail(r));
    client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
    const { containers } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
    const services = containers.map((c) => c.service);
    assert.ok(services.includes('prometheus'), services.join(', '));
    assert.ok(!services.includes('grafana'), services.join(', '));
    await assertAllHealthy(run);
  });

  const ENDPOINT = step("the server's metrics endpoint answers on loopback at TEMPORAL_METRICS_PORT", async () => {
    const url = endpointUrl(run.config, 'server', 'metrics');
    assert.equal(url, `http://127.0.0.1:${run.config.TEMPORAL_METRICS_PORT}/metrics`);
    const text = await (await fetch(url)).text();
    assert.match(text, /^# TYPE service_requests counter$/m);
    assert.match(text, /^persistence_requests\{/m);
    const server = containersOf(await run.docker.listContainers({ all: true }), run.config.TEMPORAL_PROJECT, 'server');
    assert.deepEqual(
      server.Ports.filter((p) => p.PrivatePort === 8000).map((p) => `${p.IP}:${p.PublicPort}`),
      [`127.0.0.1:${run.config.TEMPORAL_METRICS_PORT}`],
    );
  }, [STARTED]);

  const SCRAPED = step(
    'Prometheus reports the server target up, and a query finds the workload it made',
    async (t) => {
      const bulk = await signalWorker(loadTestEnv() as TestEnv, client, 'bulk', String(WORKFLOWS));
      assert.equal(bulk.code, 0, bulk.stderr);
      const target = await eventually('the server target up', 60_000, async () => {
        const active = (await prometheus('/api/v1/targets?state=active')).data.activeTargets as any[];
        const server = active.find((a) => a.labels.job === SERVER_SCRAPE_JOB);
        return server?.health === 'up' ? server : undefined;
      });
      t.diagnostic(`target ${target.scrapeUrl}: ${target.health}, last scrape ${target.lastScrapeDuration}s`);
      assert.equal(target.scrapeUrl, `http://${run.config.TEMPORAL_PROJECT}-server:8000/metrics`);
      const up = await query(`up{job="${SERVER_SCRAPE_JOB}"} == 1`);
      assert.equal(up.length, 1, JSON.stringify(up));
      // The workload's starts reach Prometheus at the next scrape after it.
      const started = await eventually(
        `${WORKFLOWS} StartWorkflowExecution requests in Prometheus`,
        60_000,
        async () => {
          const [r] = await query(
            `sum(service_requests{job="${SERVER_SCRAPE_JOB}",service_name="frontend",operation="StartWorkflowExecution"})`,
          );
          return r && Number(r.value[1]) >= WORKFLOWS ? Number(r.value[1]) : undefined;
        },
      );
      t.diagnostic(`service_requests{operation="StartWorkflowExecution"} = ${started}`);
      const series = await query(`count({job="${SERVER_SCRAPE_JOB}"})`);
      t.diagnostic(`series scraped from the server: ${series[0]?.value[1]}`);
      const status = json<StatusDocument>(await run.ctl(['status', '--json']));
      const row = status.services.find((s) => s.service === 'prometheus')!;
      assert.ok(row.healthy, row.detail);
      // status reports the targets' health (Prometheus's own target may not have been scraped yet).
      assert.match(row.detail, /^ready; \d\/2 scrape target\(s\) up/);
      const targets = (row as { data?: { targets?: { job: string; health: string }[] } }).data?.targets ?? [];
      assert.equal(targets.find((x) => x.job === SERVER_SCRAPE_JOB)?.health, 'up', row.detail);
    },
    [ENDPOINT],
  );

  step(
    'every query of the Grafana dashboard runs in the real Prometheus; the workload shows in its panels',
    async (t) => {
      const exprs = GRAFANA_FILES.filter((f) => f.source.endsWith('.json')).flatMap((file) =>
        (
          JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'temporal-config', file.source), 'utf8')).panels as any[]
        ).flatMap((panel) =>
          (panel.targets ?? []).map((target: { expr: string }) => ({
            title: panel.title as string,
            expr: target.expr,
          })),
        ),
      );
      /** Each query as Grafana sends it ($__rate_interval is Grafana's own variable): the errors and the panels with data. */
      const runAll = async () => {
        const failed: string[] = [];
        const withData = new Set<string>();
        for (const { title, expr } of exprs) {
          const answer = await prometheus(
            `/api/v1/query?query=${encodeURIComponent(expr.replaceAll('$__rate_interval', '1m'))}`,
          );
          if (answer.status !== 'success') failed.push(`${title}: ${answer.error}`);
          else if (answer.data.result.length > 0) withData.add(title);
        }
        return { failed, withData };
      };
      assert.deepEqual((await runAll()).failed, []);
      // rate() needs two samples of a series: the workload's appear one scrape interval after its first.
      const needed = [
        'Requests per second',
        'Persistence latency p95',
        'Task schedule-to-start latency p95',
        'Server target up',
      ];
      const { withData } = await eventually('the workload in the dashboard panels', 60_000, async () => {
        const r = await runAll();
        return needed.every((title) => r.withData.has(title)) ? r : undefined;
      });
      t.diagnostic(`${exprs.length} queries; panels with data: ${[...withData].join(', ')}`);
    },
    [SCRAPED],
  );

  step("down keeps Prometheus's volume; down --volumes removes everything", async () => {
    const down = await run.ctl(['down', '--yes']);
    assert.equal(down.code, 0, tail(down));
    const { volumes } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
    const names = volumes.map((v) => v.name);
    assert.ok(names.includes(volumeName(run.config, 'prometheus')!), names.join(', '));
    await assertDownRemovesAll(run);
  }, [STARTED]);
});

function containersOf(list: import('dockerode').ContainerInfo[], project: string, service: string) {
  const found = list.find((c) => c.Names.includes(`/${project}-${service}`));
  if (!found) throw new Error(`no container ${project}-${service}`);
  return found;
}
