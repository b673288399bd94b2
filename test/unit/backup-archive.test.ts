// The backup file's format and restore's refusals (src/backup/tar.ts, manifest.ts, archive.ts): the
// archive round-trips through our reader and the system's tar, a damaged or foreign file is refused
// with exit 2, and the shard count and schema judgements name what differs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openArchive } from '../../src/backup/archive.js';
import { databasesOf, defaultBackupFile } from '../../src/backup/contents.js';
import { FORMAT, MANIFEST_ENTRY, restoreConflicts, type Manifest } from '../../src/backup/manifest.js';
import { encodeHeader, END_OF_ARCHIVE, listEntries, padding } from '../../src/backup/tar.js';
import { parseConfig } from '../../src/project/parse.js';
import { DataConflictError, UsageError } from '../../src/errors.js';
import { expectedSchema } from '../../src/config/server-schemas.js';

const parsed = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres' } });
assert.ok(parsed.ok);
const config = parsed.config;
const schema = expectedSchema(config.TEMPORAL_VERSION)!;
const dump = Buffer.from('PGDMP not really a dump, 37 bytes...');

const manifest = (change: Partial<Manifest> = {}): Manifest => ({
  format: FORMAT,
  createdAt: '2026-11-25T19:00:00.000Z',
  temporalCtlVersion: '0.0.0',
  project: 'temporal',
  profile: 'development',
  serverVersion: config.TEMPORAL_VERSION,
  serverImage: 'temporalio/server',
  postgresImage: 'postgres',
  historyShards: config.NUM_HISTORY_SHARDS,
  visibilityStore: 'postgres',
  databases: [
    {
      role: 'persistence',
      name: 'temporal',
      entry: 'persistence.pgdump',
      schemaVersion: schema.temporal,
      bytes: dump.length,
      ms: 1,
    },
  ],
  namespaces: [{ name: 'default', retentionSeconds: 86400 }],
  totalMs: 1,
  totalBytes: dump.length,
  ...change,
});

function archive(entries: [string, Buffer][]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tctl-backup-')), 'x.tctl-backup');
  const parts = entries.flatMap(([name, data]) => [
    encodeHeader(name, data.length, new Date()),
    data,
    padding(data.length),
  ]);
  writeFileSync(file, Buffer.concat([...parts, END_OF_ARCHIVE]));
  return file;
}
const withManifest = (m: Manifest, data = dump) =>
  archive([
    ['persistence.pgdump', data],
    [MANIFEST_ENTRY, Buffer.from(JSON.stringify(m))],
  ]);

describe('backup archive', () => {
  it('round-trips: our reader finds the manifest and the dump, and the system tar extracts the same bytes', async () => {
    const file = withManifest(manifest());
    const opened = await openArchive(file);
    try {
      assert.equal(opened.manifest.historyShards, config.NUM_HISTORY_SHARDS);
      const range = opened.range(opened.manifest.databases[0]!);
      assert.deepEqual(readFileSync(file).subarray(range.offset, range.offset + range.size), dump);
    } finally {
      await opened.handle.close();
    }
    assert.deepEqual(execFileSync('tar', ['xOf', file, 'persistence.pgdump']), dump);
  });

  it('refuses a cut-short dump, a file without manifest and a file that is no archive (exit 2)', async () => {
    const short = withManifest(manifest(), dump.subarray(0, 10));
    await assert.rejects(
      openArchive(short),
      (e: Error) => e instanceof UsageError && /is damaged: the dump of temporal/.test(e.message),
    );
    const bare = archive([['persistence.pgdump', dump]]);
    await assert.rejects(
      openArchive(bare),
      (e: Error) => e instanceof UsageError && /holds no manifest.json/.test(e.message),
    );
    const text = join(mkdtempSync(join(tmpdir(), 'tctl-backup-')), 'notes.txt');
    writeFileSync(text, 'x'.repeat(2048));
    await assert.rejects(
      openArchive(text),
      (e: Error) => e instanceof UsageError && /not a temporal-ctl backup/.test(e.message),
    );
  });

  it('refuses a manifest of another format (exit 2)', async () => {
    const file = withManifest({ ...manifest(), format: 'something/2' as typeof FORMAT });
    await assert.rejects(
      openArchive(file),
      (e: Error) => e instanceof DataConflictError && /something\/2/.test(e.message),
    );
  });
});

describe('restore refusals', () => {
  it("accepts the same shard count and the server's own schema", () => {
    assert.equal(restoreConflicts(manifest(), config, config.NUM_HISTORY_SHARDS), undefined);
  });

  it('accepts an older schema (the schema job updates it after the restore)', () => {
    const older = manifest({ databases: [{ ...manifest().databases[0]!, schemaVersion: '1.0' }] });
    assert.equal(restoreConflicts(older, config, config.NUM_HISTORY_SHARDS), undefined);
  });

  it('refuses another shard count naming both counts', () => {
    const e = restoreConflicts(manifest({ historyShards: 8 }), config, 4);
    assert.ok(e instanceof DataConflictError);
    assert.match(e.message, /the backup has 8 history shards and this cluster 4/);
  });

  it('refuses a schema newer than the configured server knows, naming the server version to use', () => {
    const newer = manifest({
      serverVersion: '9.9.0',
      databases: [{ ...manifest().databases[0]!, schemaVersion: '99.0' }],
    });
    const e = restoreConflicts(newer, config, config.NUM_HISTORY_SHARDS);
    assert.ok(e instanceof DataConflictError);
    assert.match(e.message, new RegExp(`persistence schema 99.0 is newer than server ${config.TEMPORAL_VERSION}`));
    assert.match(e.message, /TEMPORAL_VERSION=9.9.0/);
  });

  it('refuses to judge for a server release of unknown schema', () => {
    const e = restoreConflicts(manifest(), { ...config, TEMPORAL_VERSION: '0.1.0' }, config.NUM_HISTORY_SHARDS);
    assert.match(
      e?.message ?? '',
      /TEMPORAL_VERSION 0.1.0 is a server release whose schema versions temporal-ctl does not know/,
    );
  });
});

it('the default file name is <project>-<UTC timestamp>.tctl-backup', () => {
  assert.equal(
    defaultBackupFile(config, new Date('2026-11-25T19:01:02.345Z')),
    `${config.TEMPORAL_PROJECT}-20261125T190102Z.tctl-backup`,
  );
});

it('a backup holds the persistence database, and the visibility database only with SQL visibility', () => {
  assert.deepEqual(databasesOf(config), [
    { role: 'persistence', name: config.TEMPORAL_DB },
    { role: 'visibility', name: config.TEMPORAL_VISIBILITY_DB },
  ]);
  const es = parseConfig({ env: { TEMPORAL_VISIBILITY: 'elasticsearch' } });
  assert.ok(es.ok);
  assert.deepEqual(databasesOf(es.config), [{ role: 'persistence', name: es.config.TEMPORAL_DB }]);
});

it('a dump of 8 GiB or more gets a base-256 size the system tar and our reader read (11 octal digits end below 8 GiB)', async () => {
  const size = 9 * 1024 ** 3;
  const header = encodeHeader('persistence.pgdump', size, new Date(0));
  const file = join(mkdtempSync(join(tmpdir(), 'tctl-backup-')), 'big.tar');
  writeFileSync(file, header); // the header alone: tar lists the entry, then reports the missing data
  let listing = '';
  try {
    listing = execFileSync('tar', ['tvf', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    listing = String((error as { stdout?: string }).stdout ?? '');
  }
  assert.match(listing, new RegExp(`\\b${size}\\b.*persistence\\.pgdump`));
  const handle = await open(file, 'r');
  try {
    assert.deepEqual(await listEntries(handle), [{ name: 'persistence.pgdump', offset: 512, size }]);
  } finally {
    await handle.close();
  }
});
