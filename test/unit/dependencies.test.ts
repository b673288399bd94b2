// Every dependency is pinned to one exact version, the one package-lock.json installs: an install
// never picks up a release nobody tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const json = (file: string) => JSON.parse(readFileSync(`${ROOT}${file}`, 'utf8'));

test('package.json pins every dependency exactly, at the version the lockfile installs', () => {
  const manifest = json('package.json') as Record<string, Record<string, string> | undefined>;
  const lock = json('package-lock.json') as { packages: Record<string, { version?: string }> };
  const declared = { ...manifest.dependencies, ...manifest.devDependencies };
  assert.ok(Object.keys(declared).length > 0);
  const wrong = Object.entries(declared).flatMap(([name, range]) => {
    const locked = lock.packages[`node_modules/${name}`]?.version;
    return /^\d+\.\d+\.\d+$/.test(range) && range === locked ? [] : [`${name}: ${range} (lockfile: ${locked})`];
  });
  assert.deepEqual(wrong, []);
});
