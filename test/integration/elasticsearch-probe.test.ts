// The elasticsearch probe against the test environment's real node (scripts/test-env up: Elasticsearch
// assembled from Maven Central): green, yellow (an index whose replica one node cannot place) and red
// (an index whose primary may go nowhere) are real cluster states, and so is the closed port.
// STAND-IN for what a single healthy node cannot be made to answer: 503 master_not_discovered, an
// answer slower than the probe timeout, and a body that is not cluster health (a proxy's error
// page). Those come from a local node:http server with Elasticsearch 7.17's documented bodies.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/project/load.js';
import { parseConfig } from '../../src/project/parse.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { elasticsearchProbe } from '../../src/probes/elasticsearch-probe.js';
import { runOne } from '../../src/probes/run-probes.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const testEnv = loadTestEnv();

/** The probe's config pointed at PORT on loopback. */
function configFor(port: number, timeout = '1s'): ClusterConfig {
  const parsed = parseConfig({
    env: { TEMPORAL_VISIBILITY: 'elasticsearch', ELASTICSEARCH_PORT: String(port), TEMPORAL_PROBE_TIMEOUT: timeout },
  });
  assert.ok(parsed.ok);
  return parsed.config;
}

describe('elasticsearch probe on the real node', {
  skip: testEnv?.elasticsearch ? false : testEnv ? 'the test environment has no Elasticsearch' : NOT_UP_MESSAGE,
}, () => {
  const node = testEnv?.elasticsearch;
  const probe = () => runOne(elasticsearchProbe, configFor(node!.port, '3s'), 3_000);
  const scratch = `tctl-probe-${process.pid}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${node!.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
  };
  const withIndex = async (settings: Record<string, unknown>, fn: () => Promise<void>) => {
    await call('PUT', `/${scratch}?wait_for_active_shards=0`, { settings });
    try {
      await fn();
    } finally {
      await call('DELETE', `/${scratch}`);
    }
  };

  it('is healthy on the green node with the visibility index, and reports its version and facts', async () => {
    const result = await probe();
    assert.equal(result.healthy, true, result.detail);
    assert.equal(result.detail, 'cluster status green');
    assert.equal(result.version, node!.version);
    assert.equal(result.data?.number_of_nodes, 1);
    assert.equal(result.data?.cluster_name, 'temporal-ctl-test');
  });

  it('is healthy on yellow: an index with a replica that a single node cannot place', async () => {
    await withIndex({ number_of_shards: 1, number_of_replicas: 1 }, async () => {
      const result = await probe();
      assert.equal(result.healthy, true, result.detail);
      assert.equal(result.detail, 'cluster status yellow');
      assert.equal(result.data?.unassigned_shards, 1);
    });
  });

  it('is unhealthy on red, with the timeout Elasticsearch reported: a primary allowed on no node', async () => {
    const nowhere = {
      number_of_shards: 1,
      number_of_replicas: 0,
      'index.routing.allocation.require._name': 'no-such-node',
    };
    await withIndex(nowhere, async () => {
      const result = await probe();
      assert.equal(result.healthy, false);
      // wait_for_status=yellow on a red cluster: HTTP 408 with timed_out true.
      assert.equal(result.detail, 'cluster status red (HTTP 408, timed out waiting for yellow)');
    });
  });
});

type Answer = (res: ServerResponse) => void;
const json =
  (status: number, body: unknown): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

describe('elasticsearch probe against a stand-in (answers one real node cannot give)', () => {
  let server: Server;
  let port = 0;
  let answer: Answer = json(200, {});
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

  const probeWith = async (a: Answer) => {
    answer = a;
    return runOne(elasticsearchProbe, configFor(port), 1_000);
  };

  it('asks Elasticsearch to wait for yellow within half the probe timeout', async () => {
    await probeWith(json(200, { cluster_name: 'temporal', status: 'green', timed_out: false }));
    assert.ok(seen.includes('/_cluster/health?wait_for_status=yellow&timeout=500ms'), seen.join(' '));
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

// STAND-IN: x-pack security is not on Maven Central, so the assembled node cannot check credentials.
// This server answers as 7.17 with security on does: 401 security_exception without the elastic
// user's credentials, cluster health with them.
describe("elasticsearch probe with security on (production): the elastic user's credentials", () => {
  const PASSWORD = 'es-secret-Pw1';
  let server: Server;
  let port = 0;
  const authorizations: (string | undefined)[] = [];

  before(async () => {
    server = createServer((req, res) => {
      authorizations.push(req.headers.authorization);
      const expected = `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`;
      if (req.headers.authorization !== expected)
        return json(401, {
          error: { type: 'security_exception', reason: 'unable to authenticate user [elastic]' },
          status: 401,
        })(res);
      if (req.url === '/') return json(200, { version: { number: '7.17.27' } })(res);
      json(200, { cluster_name: 'temporal', status: 'green', timed_out: false })(res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const production = (password: string): ClusterConfig => {
    const parsed = parseConfig({
      env: {
        TEMPORAL_PROFILE: 'production',
        TEMPORAL_VISIBILITY: 'elasticsearch',
        POSTGRES_PASSWORD: 'pg-secret-Pw1',
        ELASTICSEARCH_PASSWORD: password,
        ELASTICSEARCH_PORT: String(port),
        TEMPORAL_PROBE_TIMEOUT: '1s',
      },
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
    return parsed.config;
  };

  it('sends them on every request and is healthy', async () => {
    authorizations.length = 0;
    const result = await runOne(elasticsearchProbe, production(PASSWORD), 1_000);
    assert.equal(result.healthy, true, result.detail);
    assert.equal(result.version, '7.17.27');
    assert.equal(authorizations.length, 2);
    for (const a of authorizations) assert.equal(a, `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`);
  });

  it('is unhealthy on a refused password and names the error without echoing the password', async () => {
    const result = await runOne(elasticsearchProbe, production('wrong-Pw-2'), 1_000);
    assert.equal(result.healthy, false);
    assert.equal(result.detail, 'Elasticsearch answered HTTP 401 (security_exception)');
    assert.doesNotMatch(JSON.stringify(result), /wrong-Pw-2|es-secret/);
  });

  it('takes the password from ELASTICSEARCH_PASSWORD_FILE (Docker-secrets style) as from the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-es-secret-'));
    writeFileSync(join(dir, 'es.secret'), `${PASSWORD}\n`, { mode: 0o600 });
    const { config } = loadConfig({
      cwd: dir,
      env: {
        TEMPORAL_PROFILE: 'production',
        TEMPORAL_VISIBILITY: 'elasticsearch',
        POSTGRES_PASSWORD: 'pg-secret-Pw1',
        ELASTICSEARCH_PASSWORD_FILE: join(dir, 'es.secret'),
        ELASTICSEARCH_PORT: String(port),
        TEMPORAL_PROBE_TIMEOUT: '1s',
      },
    });
    authorizations.length = 0;
    const result = await runOne(elasticsearchProbe, config, 1_000);
    assert.equal(result.healthy, true, result.detail);
    for (const a of authorizations) assert.equal(a, `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`);
  });

  it('sends no credentials in development, where security is off', async () => {
    authorizations.length = 0;
    await runOne(elasticsearchProbe, configFor(port), 1_000);
    assert.deepEqual(authorizations, [undefined, undefined]);
  });
});
