// The pure halves of start's data preflight: which data a configured major version can open, how a
// login went, and which first-start facts a config contradicts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { factConflicts, factsInEffect } from '../../src/preflight/facts.js';
import { imageMajorConflict, loginOutcome, majorVersionConflict } from '../../src/stores/postgres-guards.js';
import { configFrom } from './stack-helpers.js';

test('a configured major version opens only its own data, in its own layout', () => {
  const data = (dataMajor: number, dataDir: string) => ({ kind: 'data', dataMajor, dataDir }) as const;
  assert.equal(majorVersionConflict(configFrom({ POSTGRESQL_VERSION: '16' }), data(16, '.')), undefined);
  assert.equal(majorVersionConflict(configFrom({ POSTGRESQL_VERSION: '18' }), data(18, '18/docker')), undefined);
  assert.equal(majorVersionConflict(configFrom({ POSTGRESQL_VERSION: '17' }), { kind: 'none' }), undefined);
  const upgraded = majorVersionConflict(configFrom({ POSTGRESQL_VERSION: '17' }), data(16, '.'));
  assert.equal(upgraded?.exitCode, 2);
  assert.match(upgraded!.message, /holds PostgreSQL 16 data, but the configured image postgres:17 runs PostgreSQL 17/);
  assert.match(upgraded!.hint!, /pg_dumpall.*pg_upgrade/);
  // 18 data at the volume's root: an 18 image looks in 18/docker and would initdb an empty cluster there.
  const misplaced = majorVersionConflict(configFrom({ POSTGRESQL_VERSION: '18' }), data(18, '.'));
  assert.match(misplaced!.message, /PostgreSQL 18 data at the volume's root \(the layout before 18\)/);
});

test('a login refused for the password or the user is a conflict; anything else is unknown', () => {
  const r = (exitCode: number, stderr: string) => ({ exitCode, stdout: '', stderr });
  assert.equal(loginOutcome(r(0, '')), 'ok');
  assert.equal(
    loginOutcome(r(2, 'psql: error: FATAL:  password authentication failed for user "temporal"')),
    'refused',
  );
  assert.equal(loginOutcome(r(2, 'psql: error: FATAL:  role "x" does not exist')), 'refused');
  assert.equal(loginOutcome(r(2, 'psql: error: FATAL:  the database system is starting up')), 'unknown');
});

test('first-start facts: shards, databases and the index are fixed; the visibility store may switch', () => {
  const c = configFrom({ NUM_HISTORY_SHARDS: '4' });
  const recorded = factsInEffect(c);
  assert.equal(factConflicts(c, recorded), undefined);
  assert.match(
    factConflicts(configFrom({ NUM_HISTORY_SHARDS: '8' }), recorded)!.message,
    /^NUM_HISTORY_SHARDS is fixed at 4 by the cluster's first start: the server keeps its persisted shard count/,
  );
  assert.match(
    factConflicts(configFrom({ NUM_HISTORY_SHARDS: '4', TEMPORAL_DB: 'other' }), recorded)!.message,
    /TEMPORAL_DB changed from temporal to other: .* empty cluster on a new database; set TEMPORAL_DB=temporal again/,
  );
  // Switching to SQL visibility (with another index name, now unused) is allowed.
  const sql = configFrom({ NUM_HISTORY_SHARDS: '4', TEMPORAL_VISIBILITY: 'postgres', ELASTICSEARCH_INDEX: 'x' });
  assert.equal(factConflicts(sql, recorded), undefined);
  // Back on Elasticsearch, the index recorded while it was used still holds.
  const back = configFrom({ NUM_HISTORY_SHARDS: '4', ELASTICSEARCH_INDEX: 'x' });
  assert.match(factConflicts(back, { ...factsInEffect(sql), ...recorded })!.message, /ELASTICSEARCH_INDEX changed/);
  // Two problems, one refusal with a line each.
  const both = factConflicts(configFrom({ NUM_HISTORY_SHARDS: '8', TEMPORAL_DB: 'other' }), recorded)!;
  assert.equal(both.message.split('\n').length, 2);
});

test("an image whose PG_MAJOR differs from its tag's major is refused: the mount target would be wrong", () => {
  const c = configFrom({ POSTGRES_IMAGE: 'mirror/postgres:stable', POSTGRESQL_VERSION: '16' });
  assert.equal(imageMajorConflict(c, 16), undefined);
  assert.equal(imageMajorConflict(c, undefined), undefined); // no PG_MAJOR (or no image yet): the tag decides
  assert.match(imageMajorConflict(c, 18)!.message, /runs PostgreSQL 18 \(its PG_MAJOR\).*set POSTGRESQL_VERSION=18/);
});
