// Where secrets may be set (src/config/secrets.ts, src/project/load.ts): KEY_FILE (Docker-secrets style), the
// untracked secrets file beside the env file, the environment; a secret left in temporal.env still
// works with a warning; no message quotes a secret. Real files in a temporary project directory.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { SECRET_KEYS, secretsFileFor } from '../../src/config/secrets.js';
import { ConfigError } from '../../src/errors.js';

/** A project directory with these files (name → content), each mode 600 unless given. */
function project(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-secrets-'));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    chmodSync(join(dir, name), modes[name] ?? 0o600);
  }
  return dir;
}
const load = (dir: string, env: Record<string, string> = {}, envFile?: string) =>
  loadConfig({ cwd: dir, env, envFile });
const configErrors = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  assert.fail('expected a ConfigError');
};

test('the schema marks the passwords and the API key secret (the list every rule here derives from)', () => {
  for (const k of ['POSTGRES_PASSWORD', 'ELASTICSEARCH_PASSWORD', 'TEMPORAL_API_KEY'])
    assert.ok((SECRET_KEYS as readonly string[]).includes(k), k);
});

test('KEY_FILE: the value is the file content without its trailing line breaks, relative to the project', () => {
  const dir = project({ 'temporal.env': 'POSTGRES_PASSWORD_FILE=pg.secret\n', 'pg.secret': 'from-a-file-77\n\n' });
  const loaded = load(dir);
  assert.equal(loaded.config.POSTGRES_PASSWORD, 'from-a-file-77');
  assert.equal(loaded.origins.POSTGRES_PASSWORD, 'pg.secret via POSTGRES_PASSWORD_FILE');
  assert.deepEqual(loaded.warnings, []);
});

test('KEY_FILE from the environment, with an absolute path, feeds every secret key', () => {
  const dir = project({ es: 'es-from-file-88\r\n', key: 'api-key-from-file' });
  const loaded = load(dir, { ELASTICSEARCH_PASSWORD_FILE: join(dir, 'es'), TEMPORAL_API_KEY_FILE: join(dir, 'key') });
  assert.equal(loaded.config.ELASTICSEARCH_PASSWORD, 'es-from-file-88');
  assert.equal(loaded.config.TEMPORAL_API_KEY, 'api-key-from-file');
});

test('KEY and KEY_FILE both set is a config error naming both places', () => {
  const dir = project({ 'temporal.env': 'POSTGRES_PASSWORD_FILE=pg.secret\n', 'pg.secret': 'x-secret-1' });
  assert.deepEqual(
    configErrors(() => load(dir, { POSTGRES_PASSWORD: 'also-given-2' })),
    [
      `POSTGRES_PASSWORD: set (set in the environment) and as POSTGRES_PASSWORD_FILE (set in ${join(dir, 'temporal.env')}); keep one of them`,
    ],
  );
});

test('a KEY_FILE that cannot be read is a config error', () => {
  const dir = project({});
  assert.deepEqual(
    configErrors(() => load(dir, { POSTGRES_PASSWORD_FILE: '/nonexistent/pg' })),
    ['POSTGRES_PASSWORD_FILE: cannot read /nonexistent/pg (ENOENT); name a readable file (set in the environment)'],
  );
});

test('temporal.secrets.env beside temporal.env: read, wins over temporal.env, loses to the environment', () => {
  const dir = project({
    'temporal.env': 'TEMPORAL_PROFILE=production\nELASTICSEARCH_PASSWORD=old-es-in-env-file\n',
    'temporal.secrets.env': 'POSTGRES_PASSWORD=pg-from-secrets-1\nELASTICSEARCH_PASSWORD=es-from-secrets-1\n',
  });
  const secrets = join(dir, 'temporal.secrets.env');
  const loaded = load(dir);
  assert.equal(loaded.config.POSTGRES_PASSWORD, 'pg-from-secrets-1');
  assert.equal(loaded.config.ELASTICSEARCH_PASSWORD, 'es-from-secrets-1');
  assert.equal(loaded.origins.POSTGRES_PASSWORD, secrets);
  assert.deepEqual(loaded.warnings, [
    `ELASTICSEARCH_PASSWORD: a secret in ${join(dir, 'temporal.env')}, which is meant to be committed; move it to ${secrets} (untracked), the environment or ELASTICSEARCH_PASSWORD_FILE`,
  ]);
  assert.equal(load(dir, { POSTGRES_PASSWORD: 'pg-from-env-1' }).config.POSTGRES_PASSWORD, 'pg-from-env-1');
});

test('the secrets file follows --env-file: prod.env → prod.secrets.env', () => {
  assert.equal(secretsFileFor('/p/prod.env'), '/p/prod.secrets.env');
  assert.equal(secretsFileFor('/p/temporal.env'), '/p/temporal.secrets.env');
  const dir = project({ 'prod.env': '', 'prod.secrets.env': 'POSTGRES_PASSWORD=prod-secret-9\n' });
  assert.equal(load(dir, {}, 'prod.env').config.POSTGRES_PASSWORD, 'prod-secret-9');
});

test('the secrets file takes secret keys only: any other key is an error pointing at temporal.env', () => {
  const dir = project({
    'temporal.env': '',
    'temporal.secrets.env': 'POSTGRES_PASSWORD=s-1234\nTEMPORAL_UI_PORT=9000\n',
  });
  assert.deepEqual(
    configErrors(() => load(dir)),
    [`TEMPORAL_UI_PORT: not a secret; set it in temporal.env, not in ${join(dir, 'temporal.secrets.env')}`],
  );
});

test('a secrets file other users can read works, with a warning to chmod it', () => {
  const dir = project(
    { 'temporal.env': '', 'temporal.secrets.env': 'POSTGRES_PASSWORD=s-5678\n' },
    {
      'temporal.secrets.env': 0o644,
    },
  );
  const path = join(dir, 'temporal.secrets.env');
  assert.deepEqual(load(dir).warnings, [`${path}: other users can read it (mode 644); chmod 600 ${path}`]);
});

test("development's published default password in temporal.env is no secret: no warning", () => {
  const dir = project({ 'temporal.env': 'POSTGRES_PASSWORD=temporal\n' });
  assert.deepEqual(load(dir).warnings, []);
});

test('no config message quotes a secret: a value pasted into the wrong key, a malformed line', () => {
  const dir = project({ 'temporal.env': 'TEMPORAL_UI_PORT=Pasted-Secret-31\n', 'temporal.secrets.env': '' });
  const lines = configErrors(() => load(dir, { POSTGRES_PASSWORD: 'Pasted-Secret-31' }));
  assert.deepEqual(lines, [
    `TEMPORAL_UI_PORT: "********" is not a port; use a whole number from 1 to 65535 (set in ${join(dir, 'temporal.env')})`,
  ]);
  const malformed = project({ 'temporal.env': 'TEMPORAL_PROFILE=production\nPOSTGRES_PASSWORD Pasted-Secret-31\n' });
  const dotenv = configErrors(() => load(malformed));
  assert.deepEqual(dotenv, ["line 2: expected KEY=value, found no '='"]);
});
