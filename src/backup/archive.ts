// Reading a backup file: its manifest, and the byte range of each database's dump.
import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { MANIFEST_ENTRY, parseManifest, type DumpedDatabase, type Manifest } from './manifest.js';
import { listEntries, type TarEntry } from './tar.js';

export interface OpenArchive {
  readonly handle: FileHandle;
  readonly manifest: Manifest;
  /** The dump's byte range in the file. */
  range(db: DumpedDatabase): TarEntry;
}

/** Opens a backup and checks that every dump its manifest names is there, whole. The caller closes. */
export async function openArchive(file: string): Promise<OpenArchive> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot read backup ${file} (${error.code ?? error.message}): give the path of a .tctl-backup file`,
    );
  });
  try {
    const entries = await listEntries(handle).catch((error: Error) => {
      throw new UsageError(`${file}: ${error.message}`);
    });
    const byName = new Map(entries.map((e) => [e.name, e]));
    const m = byName.get(MANIFEST_ENTRY);
    if (!m)
      throw new UsageError(`${file} holds no ${MANIFEST_ENTRY}: it is not a temporal-ctl backup, or it is cut short`);
    const text = Buffer.alloc(m.size);
    await handle.read(text, 0, m.size, m.offset);
    const manifest = parseManifest(text.toString('utf8'), file);
    for (const db of manifest.databases) {
      const entry = byName.get(db.entry);
      if (!entry || entry.size !== db.bytes)
        throw new UsageError(
          `${file} is damaged: the dump of ${db.name} (${db.entry}) is ${entry ? `${entry.size} bytes, not ${db.bytes}` : 'missing'}`,
        );
    }
    return { handle, manifest, range: (db) => byName.get(db.entry)! };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
