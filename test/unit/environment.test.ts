// The environment temporal-ctl reads is declared once (src/config/environment.ts), and the tests'
// scrub (test/support/cli.ts) keeps every config key and setting of a developer's out of the runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES, ENVIRONMENT } from '../../src/config/environment.js';
import { parseConfig } from '../../src/project/parse.js';
import { schema } from '../../src/config/schema.js';
import { cliEnv, scrubbedEnv } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** A developer's environment: every variable temporal-ctl reads set, one of Temporal's CLI, and PATH. */
const developer = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries([...CONFIG_VARIABLES, ...Object.keys(ENVIRONMENT)].map((k) => [k, `developer's ${k}`])),
  TEMPORAL_CONFIG_FILE: '/home/dev/.config/temporalio/temporal.toml',
  PATH: '/usr/bin:/bin',
});

test('every variable src/ and stacks/ read by name is declared in ENVIRONMENT, and every declared one is read', () => {
  const reads = new Map<string, string>();
  for (const file of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'stacks'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b|\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g))
      reads.set(m[1] ?? m[2]!, relative(ROOT, file));
  }
  const undeclared = [...reads].filter(([name]) => !(name in ENVIRONMENT) && !CONFIG_VARIABLES.includes(name));
  assert.deepEqual(undeclared, [], 'read but not declared in src/config/environment.ts');
  assert.deepEqual(
    Object.keys(ENVIRONMENT).filter((name) => !reads.has(name)),
    [],
    'declared but read nowhere',
  );
});

test('the scrub removes every schema key and every KEY_FILE variant', () => {
  const kept = Object.keys(scrubbedEnv(developer()));
  assert.deepEqual(
    Object.keys(schema).filter((key) => kept.includes(key)),
    [],
    'config keys leaking into the runs',
  );
  for (const variant of ['POSTGRES_PASSWORD_FILE', 'GRAFANA_ADMIN_PASSWORD_FILE'])
    assert.ok(!kept.includes(variant), variant);
});

test("nothing of a developer's scrubbed environment reaches the config: every key at its default", () => {
  const r = parseConfig({ env: scrubbedEnv(developer()) });
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  if (!r.ok) return;
  assert.deepEqual(
    Object.entries(r.origins).filter(([, origin]) => origin !== 'default'),
    [],
  );
});

test("the scrub removes temporal-ctl's settings and keeps the session the test environment was reached with", () => {
  const env = cliEnv({ DOCKER_HOST: 'unix:///test-env.sock' }, developer());
  for (const setting of ['TEMPORAL_ENV_FILE', 'FORCE_COLOR', 'TEMPORAL_CONFIG_FILE'])
    assert.equal(env[setting], undefined, setting);
  assert.equal(env.DOCKER_HOST, 'unix:///test-env.sock', 'a test names the engine itself');
  assert.equal(env.NO_COLOR, '1');
  for (const session of ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'DOCKER_CERT_PATH', 'DOCKER_CONFIG', 'TERRAFORM_BINARY_NAME'])
    assert.ok(env[session], `${session} is kept`);
});
