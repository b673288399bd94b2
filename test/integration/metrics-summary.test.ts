// The metrics summary from the test environment's real server (PROMETHEUS_ENDPOINT on, see
// scripts/lib/test-env-services.sh) while a real worker runs a small workload: 20 workflows of
// test/e2e/worker/signal_wait.py (`bulk 20`: started, signalled, completed) on PyPI's temporalio.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { metricsReport } from '../../src/metrics/scrape.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { cliEnv, spawnCli } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';
import { freePort } from '../support/free-ports.js';
import { signalWorker } from '../e2e/worker.js';

const testEnv = loadTestEnv();
const SKIP = testEnv ? false : NOT_UP_MESSAGE;
const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');

/** `signal_wait.py bulk N` against the test server: N workflows run to completion (killed after 120 s). */
const workload = (count: number) =>
  signalWorker(
    testEnv!,
    { TEMPORAL_ADDRESS: testEnv!.temporal.address, TEMPORAL_NAMESPACE: 'default' },
    'bulk',
    String(count),
    undefined,
    120_000,
  );

describe('metrics summary from the real server under a small workload', { skip: SKIP }, () => {
  it('counts requests per role, a finite persistence p95, the owned shards and the backlog', async () => {
    const running = workload(20);
    // The window starts with the workload and ends after it (the worker's first calls are in it). The
    // server's metrics scope reports its counters to the endpoint once a second, so the second scrape
    // waits 1.5 s past the workload's end: a fast workload would otherwise not show yet.
    const report = await metricsReport(testEnv!.temporal.metricsUrl, {
      windowMs: 3_000,
      timeoutMs: 15_000,
      alongside: running.then(() => new Promise((ok) => setTimeout(ok, 1_500))),
    });
    const done = await running;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.doc?.completed, 20);
    assert.equal(report.state, 'ok', report.state === 'ok' ? '' : report.detail);
    if (report.state !== 'ok') return;
    const s = report.summary;
    assert.ok(s.windowSeconds >= 1, `${s.windowSeconds}`);
    assert.ok(s.requests.perSecond > 0, `requests/s ${s.requests.perSecond}`);
    // 20 starts, 20 signals and the worker's polls and completions go through the frontend
    assert.ok(s.requests.byService.frontend! * s.windowSeconds >= 40, JSON.stringify(s.requests));
    assert.ok(s.persistence.perSecond > 0);
    assert.ok(Number.isFinite(s.persistence.p95Ms) && s.persistence.p95Ms! > 0, `p95 ${s.persistence.p95Ms}`);
    assert.equal(s.errors.perSecond, 0, JSON.stringify(s.errors));
    assert.equal(s.shards.owned, 4); // NUM_HISTORY_SHARDS of the development profile, all on this one server
    assert.ok(s.shards.acquisitions >= 1, `acquisitions ${s.shards.acquisitions}`); // one per acquisition round, not per shard
    assert.notEqual(s.backlog, null); // matching reports task queues once workflows ran
    assert.equal(s.backlog?.tasks, 0); // the worker took every task
  });

  it('status --json carries the summary; an endpoint that does not answer leaves status healthy (exit 0)', async () => {
    const status = (env: Record<string, string> = {}) =>
      spawnCli(['--env-file', testEnv!.envFile, 'status', '--json', '--metrics-window', '500ms'], {
        bin: BIN,
        env: cliEnv(env),
      });
    const ok = await status();
    assert.equal(ok.code, 0, ok.stderr);
    const doc = JSON.parse(ok.stdout) as StatusDocument;
    assert.equal(doc.metrics?.state, 'ok', doc.metrics?.detail ?? '');
    assert.equal(doc.metrics?.url, testEnv!.temporal.metricsUrl);
    assert.ok((doc.metrics?.summary?.requests.perSecond ?? -1) >= 0);

    const port = await freePort();
    const off = await status({ TEMPORAL_METRICS_PORT: String(port) });
    assert.equal(off.code, 0, off.stderr);
    const offDoc = JSON.parse(off.stdout) as StatusDocument;
    assert.equal(offDoc.healthy, true);
    assert.deepEqual(offDoc.metrics, {
      state: 'unreachable',
      url: `http://127.0.0.1:${port}/metrics`,
      detail: 'ECONNREFUSED',
      summary: null,
    });
  });
});
