// The environment contract of the server and the schema job (src/model/temporal-env.ts), and the
// hidden `config env` command that prints it for scripts/test-env.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';
import { DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/model/names-and-endpoints.js';
import {
  ROLE_PORTS,
  schemaJobEnv,
  serverEnv,
  stackPlacement,
  withOverrides,
  type EnvPlacement,
} from '../../src/model/temporal-env.js';
import { configFrom } from './stack-helpers.js';

test("in the stack the server gets the built-in config template's variables: containers by name, container ports", () => {
  const c = configFrom();
  assert.deepEqual(serverEnv(c, stackPlacement(c)), {
    DB: 'postgres12',
    POSTGRES_SEEDS: 'temporal-postgresql',
    DB_PORT: '5432',
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: 'temporal',
    DBNAME: 'temporal',
    VISIBILITY_DBNAME: 'temporal_visibility',
    ENABLE_ES: 'true',
    ES_SCHEME: 'http',
    ES_SEEDS: 'temporal-elasticsearch',
    ES_PORT: '9200',
    ES_VERSION: 'v7',
    ES_VIS_INDEX: 'temporal_visibility_v1',
    NUM_HISTORY_SHARDS: '4',
    LOG_LEVEL: 'info',
    BIND_ON_IP: '0.0.0.0',
    FRONTEND_GRPC_PORT: '7233',
    FRONTEND_HTTP_PORT: '7243',
    // Every role's metrics on one endpoint, the container port the stack publishes as TEMPORAL_METRICS_PORT.
    PROMETHEUS_ENDPOINT: '0.0.0.0:8000',
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_CONTAINER_PATH,
  });
  assert.deepEqual(schemaJobEnv(c, stackPlacement(c)), {
    POSTGRES_SEEDS: 'temporal-postgresql',
    DB_PORT: '5432',
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: 'temporal',
    DBNAME: 'temporal',
    VISIBILITY_DBNAME: 'temporal_visibility',
    SQL_PLUGIN: 'postgres12',
    SCHEMA_DIR: '/etc/temporal/schema',
    SQL_VISIBILITY: 'false',
    ENABLE_ES: 'true',
    ES_SCHEME: 'http',
    ES_SEEDS: 'temporal-elasticsearch',
    ES_PORT: '9200',
    ES_VERSION: 'v7',
    ES_VIS_INDEX: 'temporal_visibility_v1',
  });
});

test('production with Elasticsearch adds its credentials; SQL visibility drops every ES_ variable', () => {
  const prod = configFrom({ TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'pg', ELASTICSEARCH_PASSWORD: 'es' });
  const env = serverEnv(prod, stackPlacement(prod));
  assert.deepEqual([env.ES_USER, env.ES_PWD, env.POSTGRES_PWD, env.NUM_HISTORY_SHARDS], ['elastic', 'es', 'pg', '512']);
  const sql = configFrom({ TEMPORAL_VISIBILITY: 'postgres' });
  for (const e of [serverEnv(sql, stackPlacement(sql)), schemaJobEnv(sql, stackPlacement(sql))]) {
    assert.equal(e.ENABLE_ES, 'false');
    assert.deepEqual(
      Object.keys(e).filter((k) => k.startsWith('ES_')),
      [],
    );
  }
  assert.equal(schemaJobEnv(sql, stackPlacement(sql)).SQL_VISIBILITY, 'true');
});

test('a host placement changes only where things are: addresses, ports, paths, tool', () => {
  const c = configFrom({ TEMPORAL_VISIBILITY: 'postgres' });
  const rolePorts = Object.fromEntries(ROLE_PORTS.map((p, i) => [p, 21000 + i]));
  const where: EnvPlacement = withOverrides(stackPlacement(c), {
    postgres: { host: '127.0.0.1', port: 25432 },
    bindOnIp: '127.0.0.1',
    metrics: { host: '127.0.0.1', port: 27244 },
    broadcastAddress: '127.0.0.1',
    rolePorts,
    dynamicConfigPath: '/repo/temporal-config/development-sql.yaml',
    schemaDir: '/cache/schema',
    sqlTool: '/cache/temporal-sql-tool',
  });
  const server = serverEnv(c, where);
  assert.deepEqual(Object.keys(server), [
    'DB',
    'POSTGRES_SEEDS',
    'DB_PORT',
    'POSTGRES_USER',
    'POSTGRES_PWD',
    'DBNAME',
    'VISIBILITY_DBNAME',
    'ENABLE_ES',
    'NUM_HISTORY_SHARDS',
    'LOG_LEVEL',
    'BIND_ON_IP',
    'TEMPORAL_BROADCAST_ADDRESS',
    ...ROLE_PORTS,
    'PROMETHEUS_ENDPOINT',
    'DYNAMIC_CONFIG_FILE_PATH',
  ]);
  assert.deepEqual(
    [
      server.POSTGRES_SEEDS,
      server.DB_PORT,
      server.HISTORY_GRPC_PORT,
      server.FRONTEND_GRPC_PORT,
      server.PROMETHEUS_ENDPOINT,
    ],
    ['127.0.0.1', '25432', '21003', '21000', '127.0.0.1:27244'],
  );
  const stack = serverEnv(c, stackPlacement(c));
  const same = Object.keys(stack).filter((k) => stack[k] === server[k]);
  assert.deepEqual(
    same,
    [
      'DB',
      'POSTGRES_USER',
      'POSTGRES_PWD',
      'DBNAME',
      'VISIBILITY_DBNAME',
      'ENABLE_ES',
      'NUM_HISTORY_SHARDS',
      'LOG_LEVEL',
    ],
    'everything that comes from the config is the same in both placements',
  );
  assert.equal(schemaJobEnv(c, where).SQL_TOOL, '/cache/temporal-sql-tool');
  assert.equal(schemaJobEnv(c, stackPlacement(c)).SQL_TOOL, undefined, 'admin-tools has temporal-sql-tool on PATH');
});

/** Runs the CLI in-process with only `env` (and an empty env file) as the config source. */
async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'config-env-'));
  writeFileSync(join(dir, 'temporal.env'), '');
  const chunks = { stdout: '', stderr: '' };
  const sink = (k: keyof typeof chunks) =>
    new Writable({
      write(chunk, _e, done) {
        chunks[k] += String(chunk);
        done();
      },
    });
  const code = await run(argv, {
    env: { TEMPORAL_ENV_FILE: join(dir, 'temporal.env'), ...env },
    streams: { stdout: sink('stdout'), stderr: sink('stderr') },
  });
  return { code, ...chunks };
}

/** What bash makes of the lines as `eval "A=($lines)"`: the array's elements. */
function bashArray(lines: string): string[] {
  const out = execFileSync('bash', ['-c', 'set -eu; eval "A=($1)"; printf "%s\\0" "${A[@]}"', 'bash', lines], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

test("config env prints KEY='value' lines that bash reads back exactly, spaces, quotes and $ included", async () => {
  // The password takes what the server can (src/project/parse.ts: no space, double quote, backslash or
  // line break); the dynamic config path carries those.
  const tricky = `it's\t$HOME,\t\`date\`,\t$(id)`;
  const path = '/a b/"q" \\x\ny/dc.yaml';
  const { code, stdout, stderr } = await cli(
    [
      'config',
      'env',
      '--service',
      'server',
      '--postgres',
      '127.0.0.1:25432',
      '--bind-ip',
      '127.0.0.1',
      '--role-port',
      'HISTORY_GRPC_PORT=21001',
      '--metrics',
      '127.0.0.1:27244',
      '--dynamic-config',
      path,
    ],
    { POSTGRES_PASSWORD: tricky, TEMPORAL_VISIBILITY: 'postgres' },
  );
  assert.equal(code, 0, stderr);
  const c = configFrom({ POSTGRES_PASSWORD: tricky, TEMPORAL_VISIBILITY: 'postgres' });
  const expected = serverEnv(
    c,
    withOverrides(stackPlacement(c), {
      postgres: { host: '127.0.0.1', port: 25432 },
      bindOnIp: '127.0.0.1',
      metrics: { host: '127.0.0.1', port: 27244 },
      rolePorts: { HISTORY_GRPC_PORT: 21001 },
      dynamicConfigPath: path,
    }),
  );
  assert.deepEqual(
    bashArray(stdout),
    Object.entries(expected).map(([k, v]) => `${k}=${v}`),
  );
  // One assignment per line; a newline inside a value stays inside its quotes.
  assert.equal(stdout.split('\n').filter((l) => /^[A-Z_]+='/.test(l)).length, Object.keys(expected).length);
});

test('config env prints the password itself: the one output that hands secrets on (everything else masks them)', async () => {
  const password = 'Plain-Config-Env-Pw-93';
  const env = await cli(['config', 'env', '--service', 'server'], { POSTGRES_PASSWORD: password });
  assert.match(env.stdout, new RegExp(`^POSTGRES_PWD='?${password}'?$`, 'm'));
  const show = await cli(['config', 'show'], { POSTGRES_PASSWORD: password, POSTGRES_MEMORY: '768m' });
  assert.equal(show.code, 0);
  assert.match(show.stdout, /^POSTGRES_MEMORY +768m /m, 'a memory size shows as written, not [object Object]');
  assert.doesNotMatch(show.stdout + show.stderr, new RegExp(password));
});

test("config env for the schema job with no flags prints the stack placement's contract", async () => {
  const { code, stdout } = await cli(['config', 'env', '--service', 'schema']);
  assert.equal(code, 0);
  const c = configFrom();
  assert.deepEqual(
    bashArray(stdout),
    Object.entries(schemaJobEnv(c, stackPlacement(c))).map(([k, v]) => `${k}=${v}`),
  );
});

test('config env exits 2 on an unknown role port, a bad endpoint or a missing --service, and is hidden from help', async () => {
  const badPort = await cli(['config', 'env', '--service', 'server', '--role-port', 'FRONTEND_PORT=1']);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /"FRONTEND_PORT" is not a role port; use one of FRONTEND_GRPC_PORT, /);
  const badEndpoint = await cli(['config', 'env', '--service', 'schema', '--postgres', 'localhost']);
  assert.equal(badEndpoint.code, 2);
  assert.match(badEndpoint.stderr, /"localhost" is not HOST:PORT/);
  assert.equal((await cli(['config', 'env'])).code, 2);
  const help = await cli(['config', '--help']);
  assert.match(help.stdout, /^\s+show\b/m);
  assert.doesNotMatch(help.stdout, /^\s+env\b/m);
});
