// Config values reach the Terraform JSON as literals: `${` and `%{` (Terraform's template syntax)
// are escaped as `$${` and `%%{` in every resource and output, while cdktf's references and the
// stack's own lifecycle expressions stay as they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TerraformStack, Token } from 'cdktf';
import { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { parseConfig } from '../../src/project/parse.js';
import { schema, type ConfigKey } from '../../src/config/schema.js';
import { literal, templateEscape } from '../../stacks/literal-strings.js';
import { synth } from './stack-helpers.js';
import { testingApp } from './testing-app.js';

const PASSWORD = 'p${x}%{y}';
const ESCAPED = 'p$${x}%%{y}';

/** Unescaped template syntax: a `${` or `%{` not preceded by its escape. */
const UNESCAPED = /(?<![$])\$\{(x|y)\}|(?<!%)%\{(x|y)\}/;

test('a password with template syntax reaches postgres, the schema job and the server escaped', () => {
  const s = synth({ POSTGRES_PASSWORD: PASSWORD });
  assert.equal(s.env('postgresql').POSTGRES_PASSWORD, ESCAPED);
  assert.equal(s.env('server').POSTGRES_PWD, ESCAPED);
  assert.ok(Object.values(s.env('schema')).includes(ESCAPED), 'the schema job logs in with the same password');
  assert.doesNotMatch(s.json, UNESCAPED);
});

test('every config value that reaches the JSON is escaped, whatever the key', () => {
  // Every key that accepts template syntax as its value (free text: passwords, ...; CORS origins are validated as origins).
  const base = { TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'pw', ELASTICSEARCH_PASSWORD: 'pw' };
  const value = 'v${x}%{y}';
  const accepted = (Object.keys(schema) as ConfigKey[]).filter((k) => parseConfig({ env: { ...base, [k]: value } }).ok);
  for (const key of ['POSTGRES_PASSWORD', 'ELASTICSEARCH_PASSWORD'])
    assert.ok(accepted.includes(key as ConfigKey), `${key} takes free text`);
  for (const key of accepted) {
    const s = synth({ ...base, [key]: value });
    assert.doesNotMatch(s.json, UNESCAPED, `${key}'s value is escaped everywhere it appears`);
  }
});

test("cdktf references and the schema job's postcondition stay Terraform expressions", () => {
  const s = synth({ POSTGRES_PASSWORD: PASSWORD });
  assert.match(s.container('server').image, /^\$\{docker_image\.[a-z0-9_]+\.image_id\}$/);
  assert.match(s.container('server').networks_advanced[0].name, /^\$\{docker_network\.[a-z0-9_]+\.name\}$/);
  assert.equal(s.container('schema').lifecycle.postcondition[0].condition, '${self.exit_code == 0}');
});

test('literal() escapes the text around a token and keeps the token', () => {
  const stack = new TerraformStack(testingApp(), 'demo');
  const name = new Network(stack, 'net', { name: 'n' }).name; // each read of .name is a new token
  const mixed = `${'${a}'}-${name}-%{b}`;
  assert.ok(Token.isUnresolved(mixed));
  const escaped = literal(mixed);
  assert.ok(escaped.includes(name), 'the token is untouched');
  assert.equal(escaped.replace(name, 'T'), '$${a}-T-%%{b}');
  assert.equal(literal('plain'), 'plain');
  assert.equal(templateEscape('$${already}'), '$$${already}', 'escaping is not idempotent: applied exactly once');
});
