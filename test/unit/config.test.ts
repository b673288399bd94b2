// Config validation: every rule, with the exact message lines; and precedence flag > env > file > default.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, type ConfigSources } from '../../src/project/parse.js';
import { loadConfig } from '../../src/project/load.js';
import { ConfigError } from '../../src/errors.js';

const FILE = '/project/temporal.env';
const fromFile = (values: Record<string, string>): ConfigSources => ({ file: { path: FILE, values } });

const CASES: { rule: string; sources: ConfigSources; errors: string[] }[] = [
  {
    rule: 'a port out of range',
    sources: { env: { TEMPORAL_UI_PORT: '70000' } },
    errors: ['TEMPORAL_UI_PORT: "70000" is not a port; use a whole number from 1 to 65535 (set in the environment)'],
  },
  {
    rule: 'a port that is not a number',
    sources: fromFile({ POSTGRES_PORT: '54x' }),
    errors: [`POSTGRES_PORT: "54x" is not a port; use a whole number from 1 to 65535 (set in ${FILE})`],
  },
  {
    rule: 'a port used by two services',
    sources: fromFile({ POSTGRES_PORT: '7233' }),
    errors: [
      `POSTGRES_PORT: port 7233 is already used by TEMPORAL_GRPC_PORT; give each service its own port (set in ${FILE})`,
    ],
  },
  {
    rule: 'an unknown visibility store',
    sources: { env: { TEMPORAL_VISIBILITY: 'cassandra' } },
    errors: ['TEMPORAL_VISIBILITY: "cassandra" is not one of elasticsearch, postgres (set in the environment)'],
  },
  {
    rule: 'a malformed version',
    sources: { flags: { TEMPORAL_VERSION: '1.31.x' } },
    errors: ['TEMPORAL_VERSION: "1.31.x" is not a version; use a release number such as 1.31.2 (set by a flag)'],
  },
  {
    rule: 'a server release whose schema versions temporal-ctl does not know',
    sources: fromFile({ TEMPORAL_VERSION: '1.33.0' }),
    errors: [
      `TEMPORAL_VERSION: temporal-ctl does not know which schema Temporal server 1.33.0 requires (it knows 1.30, 1.31, 1.32); use a release of a known minor, or a temporal-ctl release that knows 1.33 (set in ${FILE})`,
    ],
  },
  {
    rule: 'a provider version constraint instead of an exact release',
    sources: fromFile({ TEMPORAL_DOCKER_PROVIDER_VERSION: '~> 4.0' }),
    errors: [
      `TEMPORAL_DOCKER_PROVIDER_VERSION: "~> 4.0" is not an exact release; use one version such as 4.0.0 (from 3.6.2 up to the last 4.x), not a constraint (set in ${FILE})`,
    ],
  },
  {
    rule: 'a provider release older than the bindings or of an unchecked major',
    sources: { env: { TEMPORAL_DOCKER_PROVIDER_VERSION: '5.0.0' } },
    errors: [
      'TEMPORAL_DOCKER_PROVIDER_VERSION: 5.0.0 is not supported; use a release from 3.6.2 up to the last 4.x (set in the environment)',
    ],
  },
  {
    rule: 'a retention that is not a duration',
    sources: { env: { TEMPORAL_NAMESPACE_RETENTION: 'seven days' } },
    errors: [
      'TEMPORAL_NAMESPACE_RETENTION: "seven days" is not a duration; use a number with a unit, e.g. 72h or 7d (set in the environment)',
    ],
  },
  {
    rule: 'a retention below one day',
    sources: { env: { TEMPORAL_NAMESPACE_RETENTION: '12h' } },
    errors: [
      "TEMPORAL_NAMESPACE_RETENTION: 12h is shorter than the minimum of 1d (Temporal's minimum) (set in the environment)",
    ],
  },
  {
    rule: 'empty passwords in the production profile',
    sources: fromFile({ TEMPORAL_PROFILE: 'production' }),
    errors: [
      'POSTGRES_PASSWORD: must not be empty in the production profile; set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or POSTGRES_PASSWORD_FILE (the default)',
      'ELASTICSEARCH_PASSWORD: must not be empty in the production profile (Elasticsearch security is on); set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or ELASTICSEARCH_PASSWORD_FILE, or use TEMPORAL_VISIBILITY=postgres (the default)',
    ],
  },
  {
    rule: 'characters the server cannot take in a password: a space (POSTGRES_PASSWORD), a double quote, a backslash',
    sources: fromFile({ POSTGRES_PASSWORD: 'two words', ELASTICSEARCH_PASSWORD: 'a\\b' }),
    errors: [
      `POSTGRES_PASSWORD: must not contain a space, a double quote, a backslash or a line break, which Temporal's server cannot take in a password (its config template and connection URL do not escape them); choose another password (set in ${FILE})`,
      `ELASTICSEARCH_PASSWORD: must not contain a double quote, a backslash or a line break, which Temporal's server cannot take in a password (its config template and connection URL do not escape them); choose another password (set in ${FILE})`,
    ],
  },
  {
    rule: 'a double quote in POSTGRES_PASSWORD',
    sources: fromFile({ POSTGRES_PASSWORD: 'say"hi' }),
    errors: [
      `POSTGRES_PASSWORD: must not contain a space, a double quote, a backslash or a line break, which Temporal's server cannot take in a password (its config template and connection URL do not escape them); choose another password (set in ${FILE})`,
    ],
  },
  {
    rule: 'a typo of a key in temporal.env, with a suggestion',
    sources: fromFile({ TEMPORAL_UI_PROT: '8089' }),
    errors: [`TEMPORAL_UI_PROT: unknown key; did you mean TEMPORAL_UI_PORT? (set in ${FILE})`],
  },
  {
    rule: 'a latest image tag',
    sources: { env: { TEMPORAL_SERVER_IMAGE: 'temporalio/server:latest' } },
    errors: [
      'TEMPORAL_SERVER_IMAGE: "temporalio/server:latest" is not a pinned image reference; use NAME:VERSION (never :latest) (set in the environment)',
    ],
  },
  {
    rule: 'several problems at once',
    sources: { env: { TEMPORAL_UI_PORT: '0', TEMPORAL_LOG_LEVEL: 'loud' } },
    errors: [
      'TEMPORAL_LOG_LEVEL: "loud" is not one of debug, info, warn, error (set in the environment)',
      'TEMPORAL_UI_PORT: "0" is not a port; use a whole number from 1 to 65535 (set in the environment)',
    ],
  },
];

for (const c of CASES) {
  test(`parseConfig rejects ${c.rule} with one line per problem naming the key and where it was set`, () => {
    const result = parseConfig(c.sources);
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors, c.errors);
  });
}

test('parseConfig accepts the production profile once both passwords are set, and postgres visibility needs no Elasticsearch password', () => {
  assert.equal(
    parseConfig({ env: { TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'p', ELASTICSEARCH_PASSWORD: 'e' } }).ok,
    true,
  );
  assert.equal(
    parseConfig({ env: { TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'p', TEMPORAL_VISIBILITY: 'postgres' } })
      .ok,
    true,
  );
});

test('precedence is flag > environment > temporal.env > default, and origins say which one won', () => {
  const sources: ConfigSources = {
    flags: { TEMPORAL_UI_PORT: '9001' },
    env: { TEMPORAL_UI_PORT: '9002', POSTGRES_PORT: '9003' },
    file: { path: FILE, values: { TEMPORAL_UI_PORT: '9004', POSTGRES_PORT: '9005', TEMPORAL_GRPC_PORT: '9006' } },
  };
  const result = parseConfig(sources);
  assert.ok(result.ok);
  if (!result.ok) return;
  const { config, origins } = result;
  assert.deepEqual(
    [config.TEMPORAL_UI_PORT, config.POSTGRES_PORT, config.TEMPORAL_GRPC_PORT, config.TEMPORAL_HTTP_PORT],
    [9001, 9003, 9006, 7243],
  );
  assert.deepEqual(
    [origins.TEMPORAL_UI_PORT, origins.POSTGRES_PORT, origins.TEMPORAL_GRPC_PORT, origins.TEMPORAL_HTTP_PORT],
    ['flag', 'environment', FILE, 'default'],
  );
});

test('profile defaults follow TEMPORAL_PROFILE', () => {
  const result = parseConfig({
    env: { TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'p', ELASTICSEARCH_PASSWORD: 'e' },
  });
  assert.ok(result.ok);
  if (result.ok) {
    assert.equal(result.config.NUM_HISTORY_SHARDS, 512);
    assert.equal(result.config.TEMPORAL_DYNAMIC_CONFIG, 'production-sql.yaml');
  }
});

function envFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tctl-config-')), 'temporal.env');
  writeFileSync(path, text);
  return path;
}

test('loadConfig reports a malformed temporal.env line with its line number and the file', () => {
  const path = envFile('# comment\nTEMPORAL_UI_PORT=8089\nthis is not a setting\n');
  assert.throws(
    () => loadConfig({ envFile: path, env: {} }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.lines, ["line 3: expected KEY=value, found no '='"]);
      assert.equal(error.source, path);
      assert.equal(error.exitCode, 2);
      return true;
    },
  );
});

test('loadConfig reads the file, lets the environment override it and names a missing --env-file', () => {
  const path = envFile('TEMPORAL_UI_PORT=8089\nPOSTGRES_PORT=5444\n');
  const { config, origins } = loadConfig({ envFile: path, env: { POSTGRES_PORT: '5555' } });
  assert.equal(config.TEMPORAL_UI_PORT, 8089);
  assert.equal(origins.TEMPORAL_UI_PORT, path);
  assert.equal(config.POSTGRES_PORT, 5555);
  assert.throws(
    () => loadConfig({ envFile: `${path}.missing`, env: {} }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.lines[0] === `env file ${path}.missing does not exist; create it or drop --env-file / TEMPORAL_ENV_FILE`,
  );
});
