// The dynamic config files parse and hold the documented keys with the documented value shapes.
// (Key names were checked against server 1.31.2 and 1.32.2 with `temporal-server validate-dynamic-config`.)
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';

const read = (name: string) =>
  parse(readFileSync(new URL(`../../../temporal-config/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    { value: unknown; constraints?: object }[]
  >;
const value = (doc: Record<string, { value: unknown }[]>, key: string) => {
  const entries = doc[key];
  assert.ok(Array.isArray(entries) && entries.length === 1, `${key} is a one-entry list`);
  return entries[0]!.value;
};

const COMMON = {
  'frontend.rps': 1200,
  'history.rps': 3000,
  'limit.maxIDLength': 255,
  'frontend.workerVersioningDataAPIs': true,
  'frontend.workerVersioningRuleAPIs': true,
  'frontend.workerVersioningWorkflowAPIs': true,
  'system.enableDeploymentVersions': true,
};

for (const [file, extra] of [
  ['development-sql.yaml', { 'system.forceSearchAttributesCacheRefreshOnRead': true }],
  ['production-sql.yaml', {}],
] as const) {
  test(`${file} holds the rate limits, id length and worker versioning settings, and nothing else`, () => {
    const doc = read(file);
    const expected: Record<string, unknown> = { ...COMMON, ...extra };
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(expected).sort());
    for (const [key, want] of Object.entries(expected)) assert.equal(value(doc, key), want, key);
    for (const entries of Object.values(doc)) for (const e of entries) assert.deepEqual(Object.keys(e), ['value']);
  });
}
