// STAND-IN: Elasticsearch cannot run on our machines (no image registry, no JVM
// distribution through our package clients), so the elasticsearch probe is tested
// against a local node:http server that answers GET /_cluster/health with the
// documented cluster-health responses (green, yellow, red, 503, slow, garbage).
// Bodies follow Elasticsearch 7.17's documented cluster health API.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { elasticsearchProbe } from '../../src/probes/elasticsearch.js';
import { runOne } from '../../src/probes/run.js';

type Answer = (res: ServerResponse) => void;
const json =
  (status: number, body: unknown): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
const health = (status: string, extra: Record<string, unknown> = {}) => ({
  cluster_name: 'temporal',
  status,
  timed_out: false,
  number_of_nodes: 1,
  number_of_data_nodes: 1,
  active_primary_shards: 3,
  active_shards: 3,
  relocating_shards: 0,
  initializing_shards: 0,
  unassigned_shards: 0,
  ...extra,
});

describe('elasticsearch probe (against a stand-in HTTP server: Elasticsearch cannot run here)', () => {
  let server: Server;
  let port = 0;
  let answer: Answer = json(200, health('green'));
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/')
        return json(200, { name: 'es', cluster_name: 'temporal', version: { number: '7.17.27' } })(res);
      answer(res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const config = (): ClusterConfig => {
    const parsed = parseConfig({
      env: { TEMPORAL_VISIBILITY: 'elasticsearch', ELASTICSEARCH_PORT: String(port), TEMPORAL_PROBE_TIMEOUT: '1s' },
    });
    assert.ok(parsed.ok);
    return parsed.config;
  };
  const probeWith = async (a: Answer) => {
    answer = a;
    return runOne(elasticsearchProbe, config(), 1_000);
  };

  it('is healthy on green, asks ES to wait for yellow, and reports the version', async () => {
    const result = await probeWith(json(200, health('green')));
    assert.equal(result.healthy, true, result.detail);
    assert.equal(result.detail, 'cluster status green');
    assert.equal(result.version, '7.17.27');
    assert.ok(
      seen.some((u) => /^\/_cluster\/health\?wait_for_status=yellow&timeout=\d+ms$/.test(u)),
      seen.join(' '),
    );
  });

  it('is healthy on yellow (a single node cannot place replicas)', async () => {
    const result = await probeWith(json(200, health('yellow', { unassigned_shards: 3 })));
    assert.equal(result.healthy, true, result.detail);
    assert.equal(result.detail, 'cluster status yellow');
    assert.equal(result.data?.unassigned_shards, 3);
  });

  it('is unhealthy on red, with the status and the timeout ES reported', async () => {
    // wait_for_status=yellow on a red cluster: HTTP 408 with timed_out true.
    const result = await probeWith(json(408, health('red', { timed_out: true })));
    assert.equal(result.healthy, false);
    assert.equal(result.detail, 'cluster status red (HTTP 408, timed out waiting for yellow)');
  });

  it('is unhealthy on 503 and names the error type', async () => {
    const result = await probeWith(
      json(503, {
        error: { root_cause: [], type: 'master_not_discovered_exception', reason: null },
        status: 503,
      }),
    );
    assert.equal(result.healthy, false);
    assert.equal(result.detail, 'Elasticsearch answered HTTP 503 (master_not_discovered_exception)');
  });

  it('is unhealthy when ES is too slow to answer within the probe timeout', async () => {
    const started = performance.now();
    const result = await probeWith(() => undefined); // never answers
    assert.equal(result.healthy, false);
    assert.equal(result.detail, 'no answer within 1s (TEMPORAL_PROBE_TIMEOUT)');
    assert.ok(performance.now() - started < 1_500);
  });

  it('is unhealthy on a body that is not cluster health', async () => {
    const result = await probeWith((res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>'),
    );
    assert.equal(result.healthy, false);
    assert.equal(
      result.detail,
      `unexpected answer from http://127.0.0.1:${port}/_cluster/health: <html>proxy error</html>`,
    );
  });

  it('is unhealthy and names ELASTICSEARCH_PORT when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const free = (closed.address() as { port: number }).port;
    await new Promise((ok) => closed.close(ok));
    const parsed = parseConfig({ env: { TEMPORAL_VISIBILITY: 'elasticsearch', ELASTICSEARCH_PORT: String(free) } });
    assert.ok(parsed.ok);
    const result = await runOne(elasticsearchProbe, parsed.config, 1_000);
    assert.equal(result.healthy, false);
    assert.match(
      result.detail,
      new RegExp(`nothing listens on http://127\\.0\\.0\\.1:${free}: start Elasticsearch .*ELASTICSEARCH_PORT`),
    );
  });
});
