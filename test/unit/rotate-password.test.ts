// rotate-password's pieces that need no engine: the stack keeps postgres's env out of the plan (its
// POSTGRES_PASSWORD counts only at initdb), and the ALTER ROLE script holds no secret and leaves
// the quoting to psql. The rotation itself runs end to end in test/e2e/rotate.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALTER_ROLE_SCRIPT } from '../../src/stores/postgres-role.js';
import { MASK, redact } from '../../src/config/secrets.js';
import { synth } from './stack-helpers.js';

test('only the postgres container ignores changes to its env; every other container is replaced when its env changes', () => {
  const s = synth({ POSTGRES_PASSWORD: 'first' });
  assert.deepEqual(s.container('postgresql').lifecycle?.ignore_changes, ['env']);
  for (const name of ['elasticsearch', 'schema', 'server', 'ui', 'admin_tools'])
    assert.equal(s.container(name).lifecycle?.ignore_changes, undefined, name);
  // The one-shot's postcondition is still there beside it.
  assert.ok(s.container('schema').lifecycle?.postcondition);
});

test('the ALTER ROLE script reads the password from the environment and lets psql quote the role and the password', () => {
  assert.match(ALTER_ROLE_SCRIPT, /^\\set pw `printenv TEMPORAL_CTL_NEW_PASSWORD`$/m);
  assert.match(ALTER_ROLE_SCRIPT, /^ALTER ROLE :"role" PASSWORD :'pw';$/m);
  assert.match(ALTER_ROLE_SCRIPT, /^SET log_statement = 'none';$/m);
  // The ALTER ROLE statement's text holds the password: nothing may log it, so both settings come first.
  const lines = ALTER_ROLE_SCRIPT.split('\n');
  const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  for (const setting of ['SET log_statement ', 'SET log_min_duration_statement = -1;'])
    assert.ok(at(setting) >= 0 && at(setting) < at('ALTER ROLE '), `${setting.trim()} before ALTER ROLE`);
});

test('redact masks every occurrence of the password, and leaves text alone for an empty one', () => {
  assert.equal(redact('a p$w b p$w', ['p$w']), `a ${MASK} b ${MASK}`);
  assert.equal(redact('nothing here', ['']), 'nothing here');
});
