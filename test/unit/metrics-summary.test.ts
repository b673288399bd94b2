// The metrics summary's arithmetic: the exposition parser, counter rates, histogram quantiles.
// The fixtures were recorded from the test environment's real server (1.32.2, PROMETHEUS_ENDPOINT
// on), 3.511 s apart around `signal_wait.py bulk 20` (20 workflows started, signalled, completed),
// and cut to the metrics the summary reads (gzip: the full scrape is 2.6 MB). The same summary
// against the live server under load: test/integration/metrics-summary.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { parseExposition } from '../../src/metrics/exposition.js';
import { PassThrough } from 'node:stream';
import { metricsBlock, sparkline, summaryLine } from '../../src/commands/metrics-render.js';
import { Output } from '../../src/output.js';
import {
  bucketDelta,
  quantile,
  rate,
  SUMMARY_METRICS,
  summarize,
  total,
  type Scrape,
} from '../../src/metrics/summary.js';

const fixture = (name: string, at: number): Scrape => ({
  at,
  samples: parseExposition(
    gunzipSync(
      readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'metrics', `server-1.32.2-${name}.prom.gz`)),
    ).toString(),
  ),
});
const before = fixture('before', 1_795_659_817_511);
const after = fixture('after', 1_795_659_821_022);
const scrape = (at: number, text: string): Scrape => ({ at, samples: parseExposition(text) });

test('the parser reads every sample line of the real exposition, labels included', () => {
  assert.equal(before.samples.length, 1599);
  assert.equal(after.samples.length, 1776);
  const shards = after.samples.find((s) => s.name === 'numshards_gauge');
  assert.deepEqual(shards?.labels, { operation: 'ShardController', service_name: 'history' });
  assert.equal(shards?.value, 4);
});

test('label values keep escaped quotes, backslashes, newlines and braces; Inf and NaN are values', () => {
  const [a, b, c] = parseExposition(
    [
      '# HELP x a help line { with "quotes"',
      'x{path="C:\\\\dir",msg="say \\"hi\\"\\n}",le="+Inf"} +Inf 1700000000000',
      'y NaN',
      'z{} -1.5e-3',
    ].join('\n'),
  );
  assert.deepEqual(a, { name: 'x', labels: { path: 'C:\\dir', msg: 'say "hi"\n}', le: '+Inf' }, value: Infinity });
  assert.ok(Number.isNaN(b?.value));
  assert.equal(c?.value, -0.0015);
});

test('a malformed line is an error that names its line', () => {
  assert.throws(() => parseExposition('ok 1\nbroken{a="1" 2'), /metrics line 2: unclosed label set/);
  assert.throws(() => parseExposition('x one'), /metrics line 1: bad value "one"/);
});

test('a rate is the increase over the window; a counter that went down (restart) counts from zero', () => {
  const a = scrape(0, 'c{s="a"} 10\nc{s="b"} 5');
  assert.equal(rate(a, scrape(2_000, 'c{s="a"} 14\nc{s="b"} 9'), 'c'), 4);
  assert.equal(rate(a, scrape(2_000, 'c{s="a"} 2\nc{s="b"} 4'), 'c'), 3);
  assert.equal(rate(a, scrape(2_000, 'other 1'), 'c'), 0); // absent: 0, never NaN
  assert.equal(
    total(a, 'c', (l) => l.s === 'b'),
    5,
  );
});

test('quantiles interpolate inside the bucket as histogram_quantile does', () => {
  const cumulative = new Map([
    [0.1, 0],
    [0.2, 50],
    [0.5, 100],
    [Infinity, 100],
  ]);
  assert.equal(quantile(0.5, cumulative), 0.2);
  assert.ok(Math.abs((quantile(0.95, cumulative) ?? 0) - 0.47) < 1e-9);
  assert.equal(
    quantile(
      0.99,
      new Map([
        [1, 10],
        [Infinity, 1000],
      ]),
    ),
    1,
  ); // beyond the last bound: that bound
  assert.equal(
    quantile(
      0.95,
      new Map([
        [1, 0],
        [Infinity, 0],
      ]),
    ),
    null,
  );
  // only what was observed between the scrapes counts
  const delta = bucketDelta(
    new Map([
      [0.1, 90],
      [1, 100],
      [Infinity, 100],
    ]),
    new Map([
      [0.1, 90],
      [1, 110],
      [Infinity, 110],
    ]),
  );
  assert.deepEqual(
    [...delta],
    [
      [0.1, 0],
      [1, 10],
      [Infinity, 10],
    ],
  );
});

test('the summary of the recorded workload: requests, errors, persistence p95, shards, backlog', () => {
  const s = summarize(before, after);
  assert.equal(s.windowSeconds, 3.511);
  const expected = (total(after, 'service_requests') - total(before, 'service_requests')) / 3.511;
  assert.ok(Math.abs(s.requests.perSecond - expected) < 1e-9);
  assert.ok(s.requests.perSecond > 50, `${s.requests.perSecond}`);
  assert.deepEqual(Object.keys(s.requests.byService), ['frontend', 'history', 'matching']);
  const sum = Object.values(s.requests.byService).reduce((x, y) => x + y, 0);
  assert.ok(Math.abs(sum - s.requests.perSecond) < 1e-9);
  assert.equal(s.errors.perSecond, 0); // service_errors: no unexpected failure
  assert.deepEqual(s.errors.byType, { serviceerror_Canceled: 10 }); // long polls the workers cancelled
  assert.ok(s.persistence.perSecond > 50);
  assert.equal(s.persistence.p95Ms, 50.238);
  assert.deepEqual(s.shards, { owned: 4, acquisitions: 3, acquisitionsInWindow: 0, acquireP95Ms: 92.5 });
  assert.deepEqual(s.backlog, { tasks: 0, largest: null });
});

test('sparklines scale to their own maximum; a missed interval is a gap', () => {
  assert.equal(sparkline([0, 1, 2, 4, 8]), '▁▂▃▅█');
  assert.equal(sparkline([0, 0, null, 0]), '▁▁ ▁');
  assert.equal(sparkline([]), '');
});

test("top's pipe line carries the headline numbers of a summary", () => {
  const line = summaryLine(new Date(Date.UTC(2026, 10, 26)), summarize(before, after));
  assert.equal(
    line,
    '2026-11-26T00:00:00.000Z req=67.2/s err=0.0/s persist=85.4/s persist_p95=50.238ms shards=4 acquisitions=3 backlog=0',
  );
});

test('a scrape parses only the series the summary reads, and the summary is the same', () => {
  const full = (name: string, at: number): Scrape => ({
    at,
    samples: parseExposition(
      gunzipSync(
        readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'metrics', `server-1.32.2-${name}.prom.gz`)),
      ).toString(),
      SUMMARY_METRICS,
    ),
  });
  const a = full('before', before.at);
  const b = full('after', after.at);
  assert.ok(b.samples.length < after.samples.length); // _sum and _count series are skipped
  assert.ok(b.samples.every((s) => SUMMARY_METRICS.has(s.name)));
  assert.deepEqual(summarize(a, b), summarize(before, after));
});

test("status's block says when metrics are off or unreachable, and shows the summary otherwise", () => {
  const out = new Output({ stdout: new PassThrough(), stderr: new PassThrough() }, 'never');
  assert.deepEqual(metricsBlock(out, { state: 'off', detail: '--no-metrics' }), ['metrics: off (--no-metrics)']);
  assert.deepEqual(
    metricsBlock(out, { state: 'unreachable', url: 'http://127.0.0.1:9/metrics', detail: 'ECONNREFUSED' }),
    [
      "metrics: unreachable at http://127.0.0.1:9/metrics (ECONNREFUSED) - the server's Prometheus endpoint, TEMPORAL_METRICS_PORT",
    ],
  );
  assert.deepEqual(metricsBlock(out, { state: 'ok', url: 'http://h:1/metrics', summary: summarize(before, after) }), [
    'metrics (http://h:1/metrics, 3.5 s window)',
    '  requests     67.2/s (frontend 21.9/s, history 18.5/s, matching 26.8/s)  errors 0.0/s (all errors in window: 10 Canceled)',
    '  persistence  85.4/s  p95 50 ms  errors 0.0/s',
    '  shards       4 owned  3 acquisitions since start (0 in window, p95 93 ms)',
    '  backlog      0 tasks',
  ]);
});
