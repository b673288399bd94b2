// Proves the test environment is the real thing: PostgreSQL with Temporal's persistence schema at the
// version the server's schema files define, Elasticsearch with the visibility index (the default
// visibility store), the production server on them answering gRPC health, the Web UI in front of it,
// the Docker engine with the local test image, and the schema script's idempotency and errors.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { compareVersions, expectedSchema, SERVER_SCHEMAS } from '../../src/config/server-schemas.js';
import { WORKFLOW_SERVICE } from '../../src/model/temporal-api.js';
import { connect } from '../../src/temporal/connection.js';
import { cliEnv } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE, type TestEnv } from '../support/env.js';
import { freePort } from '../support/free-ports.js';

const run = promisify(execFile);
const env = loadTestEnv();

/** The newest vX.Y directory of a versioned schema dir, e.g. "1.19". */
function latestSchemaVersion(dir: string): string {
  const versions = readdirSync(dir)
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1).split('.').map(Number));
  versions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return versions.at(-1)!.join('.');
}

async function query<T extends pg.QueryResultRow>(e: TestEnv, database: string, sql: string): Promise<T[]> {
  const client = new pg.Client({
    host: e.postgres.host,
    port: e.postgres.port,
    user: e.postgres.user,
    password: e.postgres.password,
    database,
  });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** GET on the test environment's Elasticsearch node, as JSON. */
async function es(e: TestEnv, path: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${e.elasticsearch!.url}${path}`);
  assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
}

/** Everything the schema script could change: versions, update history, tables; the index and its template. */
async function schemaState(e: TestEnv): Promise<string> {
  const parts: unknown[] = [];
  const index = e.elasticsearch!.index;
  const settings = (await es(e, `/${index}/_settings`))[index] as { settings: { index: { uuid: string } } };
  // The uuid changes when the index is recreated; the mapping when fields are added or lost.
  parts.push(settings.settings.index.uuid, await es(e, `/${index}/_mapping`), await es(e, '/_template'));
  for (const db of [e.postgres.databases.temporal]) {
    parts.push(
      await query(e, db, 'SELECT db_name, curr_version, min_compatible_version, creation_time FROM schema_version'),
    );
    parts.push(await query(e, db, 'SELECT count(*)::int AS n FROM schema_update_history'));
    parts.push(
      await query(e, db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"),
    );
  }
  return JSON.stringify(parts);
}

/**
 * The contract's KEY=value words for the test environment's placement, as bash reads them from
 * `temporal-ctl config env` (what scripts/test-env does), with `config` on top of the test cluster's.
 */
async function contractEnv(
  e: TestEnv,
  service: 'server' | 'schema',
  config: Record<string, string> = {},
): Promise<string[]> {
  const clusterConfig = Object.fromEntries(
    e.temporal.contract.config.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const { stdout } = await run(
    process.execPath,
    [join(PROJECT_ROOT, 'bin', 'temporal-ctl'), 'config', 'env', '--service', service, ...e.temporal.contract[service]],
    {
      env: cliEnv({ ...clusterConfig, ...config }),
      cwd: PROJECT_ROOT,
    },
  );
  const words = await run('bash', ['-c', 'set -eu; eval "A=($1)"; printf "%s\\0" "${A[@]}"', 'bash', stdout]);
  return words.stdout.split('\0').slice(0, -1);
}

/** Runs schema-setup.sh with the contract for `config`; `placement` replaces variables of the output. */
async function runSchemaScript(
  e: TestEnv,
  config: Record<string, string> = {},
  { waitSeconds = 10, placement = {} }: { waitSeconds?: number; placement?: Record<string, string> } = {},
) {
  const env = Object.fromEntries(
    (await contractEnv(e, 'schema', config)).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  // temporal-elasticsearch-tool on PATH, as in admin-tools and as scripts/test-env runs the script.
  const PATH = `${dirname(e.temporal.esTool)}:${process.env.PATH}`;
  return run('sh', [e.temporal.schemaScript], {
    env: { PATH, ...env, ...placement, SCHEMA_WAIT_SECONDS: String(waitSeconds) },
  });
}

describe('the test environment (real components)', { skip: env ? false : NOT_UP_MESSAGE }, () => {
  const e = env!;

  it('PostgreSQL answers a query and holds the persistence schema at the version the server ships', async () => {
    assert.deepEqual(await query(e, 'postgres', 'SELECT 1 AS one'), [{ one: 1 }]);
    const schemaDir = join(e.temporal.schemaDir, 'postgresql', 'v12');
    const db = e.postgres.databases.temporal;
    const rows = await query<{ curr_version: string }>(e, db, 'SELECT curr_version FROM schema_version');
    assert.deepEqual(
      rows.map((r) => r.curr_version),
      [latestSchemaVersion(join(schemaDir, 'temporal', 'versioned'))],
      `schema_version of ${db}`,
    );
  });

  it("the schema table's row for the configured server is what that server's own schema files define", () => {
    // The CLI judges schemas by src/config/server-schemas.ts; this holds the row against the module the
    // test environment built (versioned dirs and version.go of go.temporal.io/server at TEMPORAL_VERSION).
    const { config } = loadConfig({ envFile: e.envFile, env: {} });
    assert.equal(e.temporal.version, config.TEMPORAL_VERSION);
    const schemaDir = join(e.temporal.schemaDir, 'postgresql', 'v12');
    const fromFiles = {
      temporal: latestSchemaVersion(join(schemaDir, 'temporal', 'versioned')),
      visibility: latestSchemaVersion(join(schemaDir, 'visibility', 'versioned')),
    };
    assert.deepEqual(expectedSchema(config.TEMPORAL_VERSION), fromFiles);
    const versionGo = readFileSync(join(schemaDir, 'version.go'), 'utf8');
    assert.match(versionGo, new RegExp(`const Version = "${fromFiles.temporal.replace('.', '\\.')}"`));
    assert.match(versionGo, new RegExp(`const VisibilityVersion = "${fromFiles.visibility.replace('.', '\\.')}"`));
  });

  it("Elasticsearch of the configured version is green and holds the visibility index with Temporal's mapping", async () => {
    assert.ok(e.elasticsearch, 'the test environment must run Elasticsearch (the default visibility store)');
    const { config } = loadConfig({ envFile: e.envFile, env: {} });
    assert.equal(config.TEMPORAL_VISIBILITY, 'elasticsearch');
    assert.equal(config.ELASTICSEARCH_VERSION, e.elasticsearch.version);
    assert.equal(config.ELASTICSEARCH_INDEX, e.elasticsearch.index);
    const root = (await es(e, '/')) as { version: { number: string; build_flavor: string } };
    assert.equal(root.version.number, e.elasticsearch.version);
    // Temporal's client uses point in time only on the default flavour.
    assert.equal(root.version.build_flavor, 'default');
    assert.equal((await es(e, '/_cluster/health')).status, 'green');
    const index = e.elasticsearch.index;
    const mapping = (await es(e, `/${index}/_mapping`))[index] as {
      mappings: { properties: Record<string, { type: string }> };
    };
    // A few of the fields the server's template declares, with the types only those modules give.
    assert.equal(mapping.mappings.properties.WorkflowType?.type, 'keyword');
    assert.equal(mapping.mappings.properties.StartTime?.type, 'date_nanos');
    assert.equal(mapping.mappings.properties.HistoryLength?.type, 'long');
  });

  it('the production Temporal server of the configured version is SERVING and persists in PostgreSQL', async () => {
    const { config } = loadConfig({ envFile: e.envFile, env: {} });
    assert.equal(config.TEMPORAL_ADDRESS, e.temporal.address);
    const connection = await connect(config);
    try {
      const health = await connection.healthService.check({ service: WORKFLOW_SERVICE });
      assert.equal(health.status, 1, 'grpc.health.v1 SERVING');
      const info = await connection.workflowService.getSystemInfo({});
      assert.equal(info.serverVersion, e.temporal.version);
    } finally {
      await connection.close();
    }
    const rows = await query<{ name: string }>(e, e.postgres.databases.temporal, 'SELECT name FROM namespaces');
    assert.ok(
      rows.some((r) => r.name === 'temporal-system'),
      'the server wrote its system namespace to PostgreSQL',
    );
  });

  it('the server was started with exactly the environment contract (temporal-ctl config env), plus PATH and HOME', async () => {
    // What the kernel recorded at exec, not what the script meant to pass.
    const environ = readFileSync(`/proc/${e.temporal.pid}/environ`, 'utf8')
      .split('\0')
      .filter((v) => v !== '');
    const contract = await contractEnv(e, 'server');
    assert.deepEqual(
      environ.filter((v) => !/^(PATH|HOME)=/.test(v)),
      contract,
    );
    assert.deepEqual(
      environ.filter((v) => /^(PATH|HOME)=/.test(v)).map((v) => v.split('=')[0]),
      ['PATH', 'HOME'],
    );
    // ...and that contract is the test environment's placement of the stack's variables.
    const got = Object.fromEntries(contract.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    assert.deepEqual(
      [got.POSTGRES_SEEDS, got.DB_PORT, got.POSTGRES_USER, got.POSTGRES_PWD],
      [e.postgres.host, String(e.postgres.port), e.postgres.user, e.postgres.password],
    );
    assert.deepEqual(
      [got.DBNAME, got.ENABLE_ES, got.ES_SEEDS, got.ES_PORT, got.ES_VIS_INDEX],
      [e.postgres.databases.temporal, 'true', '127.0.0.1', String(e.elasticsearch?.port), e.elasticsearch?.index],
    );
    assert.deepEqual(
      [got.FRONTEND_GRPC_PORT, got.FRONTEND_HTTP_PORT],
      [String(e.temporal.grpcPort), String(e.temporal.httpPort)],
    );
    // the metrics endpoint is always on here, where env.json says (the metrics summary tests scrape it)
    assert.equal(got.PROMETHEUS_ENDPOINT, `127.0.0.1:${e.temporal.metricsPort}`);
    assert.equal(e.temporal.metricsUrl, `http://127.0.0.1:${e.temporal.metricsPort}/metrics`);
    const metrics = await fetch(e.temporal.metricsUrl);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^service_requests\{/m);
  });

  it("the Web UI answers /healthz and lists the server's namespaces through /api/v1/namespaces", {
    skip: !e.ui && process.env.CI !== 'true' ? 'the test environment has no Web UI' : false,
  }, async () => {
    assert.ok(e.ui, 'the test environment must run the Web UI');
    const health = await fetch(`${e.ui.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'OK' });
    const namespaces = (await (await fetch(`${e.ui.url}/api/v1/namespaces`)).json()) as {
      namespaces: { namespaceInfo: { name: string } }[];
    };
    assert.ok(namespaces.namespaces.some((n) => n.namespaceInfo.name === 'temporal-system'));
  });

  it('the Docker engine answers and has the local test image', async () => {
    assert.ok(e.docker, 'the test environment must have a Docker engine');
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', e.docker.testImage], {
      env: { ...process.env, DOCKER_HOST: e.docker.host },
    });
    assert.match(stdout.trim(), /^sha256:[0-9a-f]{64}$/);
  });

  describe('temporal-config/schema-setup.sh', () => {
    let before_: string;
    before(async () => {
      before_ = await schemaState(e);
    });

    it('exits 0 on the existing database and index and changes nothing', async () => {
      const { stdout } = await runSchemaScript(e);
      assert.match(stdout, /database temporal: schema is current/);
      assert.match(stdout, new RegExp(`elasticsearch: create-index ${e.elasticsearch!.index}`));
      assert.doesNotMatch(
        stdout,
        /database temporal_visibility/,
        'SQL visibility is set up only with TEMPORAL_VISIBILITY=postgres',
      );
      assert.equal(await schemaState(e), before_);
    });

    it('exits non-zero and names the address when Elasticsearch does not answer', async () => {
      const port = String(await freePort());
      await assert.rejects(
        runSchemaScript(e, {}, { waitSeconds: 2, placement: { ES_PORT: port } }),
        (err: { code: number; stderr: string }) => {
          assert.notEqual(err.code, 0);
          assert.match(
            err.stderr,
            new RegExp(`Elasticsearch at http://127\\.0\\.0\\.1:${port} did not answer within 2s`),
          );
          return true;
        },
      );
    });

    it('exits non-zero and names the rejected password when the password is wrong', async () => {
      await assert.rejects(
        runSchemaScript(e, { POSTGRES_PASSWORD: 'not-the-password' }),
        (err: { code: number; stderr: string }) => {
          assert.notEqual(err.code, 0);
          assert.match(err.stderr, /rejected the password of user temporal; check POSTGRES_USER and POSTGRES_PWD/);
          return true;
        },
      );
    });

    // What an upgrade's schema job does across a schema change (the e2e upgrade step runs between two
    // minors of one schema): databases at the oldest known minor's schema, brought to the server's.
    it("moves databases holding the oldest known minor's schema to the server's, through each version in between", async () => {
      const oldest = Object.keys(SERVER_SCHEMAS).sort(compareVersions)[0]!;
      const from = SERVER_SCHEMAS[oldest]!;
      const to = expectedSchema(e.temporal.version)!;
      assert.notDeepEqual([from.temporal, from.visibility], [to.temporal, to.visibility], 'no schema change to move');
      const dbs = { temporal: 'tctl_schema_move', visibility: 'tctl_schema_move_visibility' };
      const versioned = (kind: 'temporal' | 'visibility') =>
        join(e.temporal.schemaDir, 'postgresql', 'v12', kind, 'versioned');
      const tool = (db: string, ...args: string[]) =>
        run(
          e.temporal.sqlTool,
          [
            '--plugin',
            'postgres12',
            '--ep',
            e.postgres.host,
            '-p',
            String(e.postgres.port),
            '-u',
            e.postgres.user,
            '--db',
            db,
            ...args,
          ],
          {
            env: { ...cliEnv(), SQL_PASSWORD: e.postgres.password },
          },
        );
      for (const db of Object.values(dbs)) await query(e, 'postgres', `DROP DATABASE IF EXISTS ${db}`);
      try {
        // The schema files are append-only: the server's own versioned dirs hold every older version.
        for (const kind of ['temporal', 'visibility'] as const) {
          await query(e, 'postgres', `CREATE DATABASE ${dbs[kind]}`);
          await tool(dbs[kind], 'setup-schema', '-v', '0.0');
          await tool(dbs[kind], 'update-schema', '-d', versioned(kind), '-v', from[kind]);
          const [row] = await query<{ curr_version: string }>(e, dbs[kind], 'SELECT curr_version FROM schema_version');
          assert.equal(row?.curr_version, from[kind], `${kind} starts at ${oldest}'s schema`);
        }
        const { stdout } = await runSchemaScript(e, {
          TEMPORAL_DB: dbs.temporal,
          TEMPORAL_VISIBILITY_DB: dbs.visibility,
          TEMPORAL_VISIBILITY: 'postgres',
        });
        for (const kind of ['temporal', 'visibility'] as const) {
          const [row] = await query<{ curr_version: string }>(e, dbs[kind], 'SELECT curr_version FROM schema_version');
          assert.equal(row?.curr_version, to[kind], `${kind} after the schema job:\n${stdout}`);
          const history = await query<{ new_version: string }>(
            e,
            dbs[kind],
            'SELECT new_version FROM schema_update_history',
          );
          assert.ok(
            history.some((h) => h.new_version === to[kind]),
            `${kind}: no update to ${to[kind]} recorded`,
          );
        }
      } finally {
        for (const db of Object.values(dbs)) await query(e, 'postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
    });

    after(async () => {
      assert.equal(await schemaState(e), before_, 'a failed run leaves the schema alone');
    });
  });
});
