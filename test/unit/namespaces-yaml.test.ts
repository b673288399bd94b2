import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { declaredNamespaces, parseNamespacesYaml } from '../../src/namespaces/declared.js';
import { ConfigError } from '../../src/errors.js';

const DAY = 86_400_000;
const EXAMPLE = new URL('../../../temporal-config/namespaces.example.yaml', import.meta.url);

async function problems(text: string): Promise<string[]> {
  try {
    await parseNamespacesYaml(text, 'ns.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.lines;
  }
  assert.fail('expected a ConfigError');
}

describe('temporal-config/namespaces.yaml', () => {
  it('parses the documented example file', async () => {
    const specs = await parseNamespacesYaml(readFileSync(EXAMPLE, 'utf8'), 'namespaces.example.yaml');
    assert.deepEqual(
      specs.map(({ source: _s, ...rest }) => rest),
      [
        {
          name: 'media-planner',
          retentionMs: 7 * DAY,
          description: 'Media planner workflows',
          ownerEmail: 'planning@example.com',
          data: { team: 'planning' },
        },
        { name: 'billing', retentionMs: 30 * DAY, description: undefined, ownerEmail: undefined, data: {} },
      ],
    );
    assert.equal(specs[1]!.source, 'namespaces.example.yaml:19');
  });
  it('names the file and line of a YAML syntax error', async () => {
    const lines = await problems('namespaces:\n  - name: a\n    retention: 7d\n  - name: [\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^ns\.yaml:\d+: /);
  });
  it('lists every invalid entry with its line', async () => {
    const lines = await problems(
      'namespaces:\n  - name: ok\n    retention: 7d\n  - name: bad name\n    retention: 12h\n  - name: x\n    retetion: 7d\n',
    );
    assert.deepEqual(lines, [
      `ns.yaml:4: namespace name "bad name" may only hold letters, digits, '.', '_' and '-', and must start with a letter or digit`,
      "ns.yaml:4: retention 12h is shorter than Temporal's minimum retention of 1d.",
      'ns.yaml:6: unknown field "retetion"; allowed: name, retention, description, ownerEmail, data',
      'ns.yaml:6: retention is missing',
    ]);
  });
  it('requires a top-level namespaces list', async () => {
    assert.deepEqual(await problems('- name: a\n'), ['ns.yaml:1: expected a top-level "namespaces:" list']);
  });
  it('stores non-string data values as JSON text', async () => {
    const [spec] = await parseNamespacesYaml(
      'namespaces:\n  - name: a\n    retention: 1d\n    data: { rps: 10, tags: [x] }\n',
      'f',
    );
    assert.deepEqual(spec!.data, { rps: '10', tags: '["x"]' });
  });
  it('merges config keys and the file, and rejects one name declared with two retentions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-yaml-'));
    const file = join(dir, 'namespaces.yaml');
    writeFileSync(file, 'namespaces:\n  - name: billing\n    retention: 30d\n    description: money\n');
    const envFile = join(dir, 'empty.env');
    writeFileSync(envFile, '');
    const config = (extra: Record<string, string>) => loadConfig({ envFile, env: extra }).config;
    const specs = await declaredNamespaces(config({ TEMPORAL_NAMESPACES: 'billing:30d,media:7d' }), file);
    assert.deepEqual(
      specs.map((s) => [s.name, s.retentionMs / DAY, s.description]),
      [
        ['default', 7, undefined],
        ['billing', 30, 'money'],
        ['media', 7, undefined],
      ],
    );
    await assert.rejects(
      declaredNamespaces(config({ TEMPORAL_NAMESPACES: 'billing:7d' }), file),
      /declared with different retentions in TEMPORAL_NAMESPACES and .*namespaces\.yaml:2/,
    );
  });
});
