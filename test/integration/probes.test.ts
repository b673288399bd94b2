// Each probe against the real service of the test environment (scripts/test-env up),
// plus a private PostgreSQL for the destructive cases. The Elasticsearch probe has its own
// file (elasticsearch-probe.test.ts): the real node, and a stand-in for what one node cannot answer.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { SQL_PLUGIN } from '../../src/model/temporal-env.js';
import { postgresqlProbe } from '../../src/probes/postgresql-probe.js';
import { runOne, runProbes } from '../../src/probes/run-probes.js';
import { ProbeSession } from '../../src/probes/session.js';
import { temporalProbe } from '../../src/probes/temporal-probe.js';
import type { Probe } from '../../src/probes/probe.js';
import { uiProbe } from '../../src/probes/ui-probe.js';
import { loadTestEnv } from '../support/env.js';
import { freePort } from '../support/free-ports.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const testEnv = loadTestEnv();
const SKIP = testEnv ? false : 'test environment is not up: run `bash scripts/test-env up`';

/** The test env's config (its temporal.env), with keys overridden as a user's environment would. */
export function testConfig(overrides: Record<string, string> = {}): ClusterConfig {
  return loadConfig({ envFile: resolve(PROJECT_ROOT, '.test-env/temporal.env'), env: overrides }).config;
}

const probe = (p: Probe, config: ClusterConfig, timeoutMs = 5_000) => runOne(p, config, timeoutMs);

describe('postgresql probe', { skip: SKIP }, () => {
  it('is healthy against the real PostgreSQL and reports its server version', async () => {
    const result = await probe(postgresqlProbe, testConfig());
    assert.equal(result.healthy, true, result.detail);
    assert.match(result.version ?? '', /^\d+\.\d+/);
  });

  it('is unhealthy with the password hint when PostgreSQL refuses the password', async () => {
    const result = await probe(postgresqlProbe, testConfig({ POSTGRES_PASSWORD: 'not-the-password' }));
    assert.equal(result.healthy, false);
    assert.equal(
      result.detail,
      'password authentication failed for user temporal: check POSTGRES_PASSWORD (and POSTGRES_USER)',
    );
  });

  it('is unhealthy and names the port when nothing listens there', async () => {
    const port = await freePort();
    const result = await probe(postgresqlProbe, testConfig({ POSTGRES_PORT: String(port) }));
    assert.equal(result.healthy, false);
    assert.match(result.detail, new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port}.*POSTGRES_PORT`));
  });
});

describe('postgresql probe on a private PostgreSQL', { skip: SKIP }, () => {
  let pg: PrivatePostgres;
  before(async () => {
    pg = await startPrivatePostgres(testEnv!.postgres.binDir);
  });
  after(async () => {
    await pg?.destroy();
  });

  it('turns unhealthy when the server it saw healthy is stopped', async () => {
    const config = testConfig({ POSTGRES_PORT: String(pg.port), POSTGRES_PASSWORD: pg.password });
    const up = await probe(postgresqlProbe, config);
    assert.equal(up.healthy, true, up.detail);
    assert.equal(up.version, await pg.psql('postgres', 'SHOW server_version').then((v) => v.split(' ')[0]));
    await pg.stop();
    const down = await probe(postgresqlProbe, config);
    assert.equal(down.healthy, false);
    assert.match(down.detail, /nothing listens on .*: start PostgreSQL/);
  });

  it('keeps one session across wait rounds and replaces it after PostgreSQL restarts', async () => {
    await pg.start();
    const config = testConfig({ POSTGRES_PORT: String(pg.port), POSTGRES_PASSWORD: pg.password });
    const session = new ProbeSession();
    const backends = () =>
      pg.psql('postgres', "SELECT pid FROM pg_stat_activity WHERE application_name = 'temporal-ctl-probe'");
    try {
      assert.equal((await runOne(postgresqlProbe, config, 5_000, session)).healthy, true);
      const first = await backends();
      assert.equal((await runOne(postgresqlProbe, config, 5_000, session)).healthy, true);
      assert.equal(await backends(), first, 'the second round reused the first session');
      await pg.stop();
      const down = await runOne(postgresqlProbe, config, 5_000, session);
      // The kept session died with the server; the probe retried fresh and says why.
      assert.match(down.detail, /nothing listens on .*: start PostgreSQL/);
      await pg.start();
      const back = await runOne(postgresqlProbe, config, 5_000, session);
      assert.equal(back.healthy, true, back.detail);
    } finally {
      await session.close();
    }
    assert.equal(await backends(), '', 'closing the session ends its backend');
  });
});

describe('server probe', { skip: SKIP }, () => {
  it('is SERVING on the real server of the configured version and reads the persistence schema from PostgreSQL', async () => {
    // The test environment runs the default visibility store, Elasticsearch: no SQL visibility schema to read.
    const config = testConfig();
    const result = await probe(temporalProbe, config);
    assert.equal(result.healthy, true, result.detail);
    assert.equal(result.version, testEnv!.temporal.version);
    assert.equal(result.version, config.TEMPORAL_VERSION, 'the server GetSystemInfo reports is the configured one');
    const data = result.data as { schema: { temporal: string; visibility?: string } };
    // What the server's schema tool wrote (schema/postgresql/v12/version.go of 1.32.2).
    assert.deepEqual(data.schema, { temporal: '1.19' });
    assert.match(result.detail, /^SERVING, schema 1\.19\b/);
  });

  /** The temporal probe with SQL visibility, its schemas at these versions on a private PostgreSQL. */
  async function probeOnSqlVisibility(temporal: string, visibility: string) {
    const pg = await startPrivatePostgres(testEnv!.postgres.binDir);
    try {
      await setupSchema(pg, 'temporal', 'temporal', temporal);
      await setupSchema(pg, 'temporal_visibility', 'visibility', visibility);
      const config = testConfig({
        TEMPORAL_VISIBILITY: 'postgres',
        POSTGRES_PORT: String(pg.port),
        POSTGRES_PASSWORD: pg.password,
      });
      return await probe(temporalProbe, config);
    } finally {
      await pg.destroy();
    }
  }

  it('with SQL visibility (TEMPORAL_VISIBILITY=postgres) also reads the visibility schema version', async () => {
    // Real schemas at the server's versions, set up by its own SQL tool.
    const result = await probeOnSqlVisibility('1.19', '1.14');
    assert.equal(result.healthy, true, result.detail);
    assert.deepEqual((result.data as { schema: unknown }).schema, { temporal: '1.19', visibility: '1.14' });
    assert.match(result.detail, /^SERVING, schema 1\.19\/1\.14 \(visibility\)/);
  });

  it('is unhealthy and names the fix when the schema is older than the server needs', async () => {
    // A real schema one step behind 1.32 (temporal 1.18), set up by the server's own SQL tool.
    const result = await probeOnSqlVisibility('1.18', '1.14');
    assert.equal(result.healthy, false);
    assert.match(
      result.detail,
      /schema older than server 1\.32\.\d+ needs \(temporal 1\.18 < 1\.19\): run the schema job \(`temporal-ctl start`\)/,
    );
  });

  it('is unhealthy at once with the address when nothing listens on the gRPC port', async () => {
    const port = await freePort();
    const result = await probe(temporalProbe, testConfig({ TEMPORAL_GRPC_PORT: String(port) }));
    assert.equal(result.healthy, false);
    assert.match(result.detail, new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port}`));
    assert.ok(result.latencyMs < 1_000, `took ${result.latencyMs} ms`);
  });
});

describe('ui probe', { skip: testEnv?.ui ? false : SKIP || 'the test environment has no Web UI' }, () => {
  it('is healthy against the real Web UI and lists namespaces through it', async () => {
    const result = await probe(uiProbe, testConfig());
    assert.equal(result.healthy, true, result.detail);
    assert.match(result.detail, /serves \/healthz and lists [1-9]\d* namespace\(s\) through the server/);
  });

  it('is unhealthy and names the port when nothing listens there', async () => {
    const port = await freePort();
    const result = await probe(uiProbe, testConfig({ TEMPORAL_UI_PORT: String(port) }));
    assert.equal(result.healthy, false);
    assert.match(result.detail, /nothing listens on http:\/\/127\.0\.0\.1:\d+: start the Web UI .*TEMPORAL_UI_PORT/);
  });
});

describe('probe runner', () => {
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  /** A TCP server that accepts connections and never says a word. */
  const silentServer = () =>
    new Promise<number>((ok) => {
      const s = createServer((socket) => {
        sockets.add(socket);
      });
      servers.push(s);
      s.listen(0, '127.0.0.1', () => ok((s.address() as { port: number }).port));
    });
  after(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  it('returns within the timeout when every service accepts connections and never answers', {
    skip: SKIP,
  }, async () => {
    const [pgPort, esPort, grpcPort, uiPort] = [
      await silentServer(),
      await silentServer(),
      await silentServer(),
      await silentServer(),
    ];
    const config = testConfig({
      POSTGRES_PORT: String(pgPort),
      ELASTICSEARCH_PORT: String(esPort),
      TEMPORAL_GRPC_PORT: String(grpcPort),
      TEMPORAL_UI_PORT: String(uiPort),
    });
    const started = performance.now();
    const results = await runProbes(config, { timeoutMs: 500 });
    const took = performance.now() - started;
    assert.ok(took < 500 + 400, `runner took ${Math.round(took)} ms`);
    for (const service of ['postgresql', 'elasticsearch', 'server', 'ui'] as const) {
      assert.equal(results.get(service)?.healthy, false, service);
      assert.equal(results.get(service)?.detail, 'no answer within 500ms (TEMPORAL_PROBE_TIMEOUT)');
    }
  });

  it('cuts off a probe that ignores its abort signal', async () => {
    const deaf: Probe = { service: 'postgresql', run: () => new Promise(() => undefined) };
    const started = performance.now();
    const result = await runOne(deaf, {} as ClusterConfig, 300);
    const took = performance.now() - started;
    assert.equal(result.healthy, false);
    assert.equal(result.detail, 'no answer within 300ms (TEMPORAL_PROBE_TIMEOUT)');
    assert.ok(took >= 290 && took < 450, `took ${Math.round(took)} ms`);
  });

  it('turns a probe that throws into an unhealthy result instead of failing the round', async () => {
    const broken: Probe = {
      service: 'ui',
      run: async () => {
        throw new Error('socket hang up');
      },
    };
    const result = await runOne(broken, {} as ClusterConfig, 1_000);
    assert.deepEqual({ healthy: result.healthy, detail: result.detail }, { healthy: false, detail: 'socket hang up' });
  });
});

async function setupSchema(
  pg: PrivatePostgres,
  db: string,
  kind: 'temporal' | 'visibility',
  version: string,
): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const tool = testEnv!.temporal.sqlTool;
  const base = [
    '--plugin',
    SQL_PLUGIN,
    '--ep',
    '127.0.0.1',
    '-p',
    String(pg.port),
    '-u',
    pg.user,
    '--pw',
    pg.password,
    '--db',
    db,
  ];
  const run = (...args: string[]) => promisify(execFile)(tool, [...base, ...args]);
  await run('create');
  await run('setup-schema', '-v', '0.0');
  // schemaDir is the server module's schema/ directory (or already its postgresql/v12 part).
  const root = testEnv!.temporal.schemaDir;
  const v12 = existsSync(resolve(root, 'postgresql/v12')) ? resolve(root, 'postgresql/v12') : root;
  await run('update-schema', '-d', resolve(v12, kind, 'versioned'), '-v', version);
  assert.equal(await pg.psql(db, 'SELECT curr_version FROM schema_version'), version);
}
