// The backup file's container: a plain ustar archive, so `tar tf` lists it and `tar xf` gives the
// manifest and pg_dump files to a person without temporal-ctl. Entries are written in one pass
// whose size is known only at the end (a streamed pg_dump): a placeholder header goes first and is
// rewritten with the real size afterwards, so a dump is never staged twice on disk.
import type { FileHandle } from 'node:fs/promises';

export const BLOCK = 512;
/** Sizes from 8 GiB on do not fit 11 octal digits: they are written base-256, as GNU tar and bsdtar read them. */
const OCTAL_LIMIT = 8 ** 11;

/** A ustar header for a regular file (mode 0600). */
export function encodeHeader(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  const octal = (value: number, at: number, width: number) =>
    h.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, width, 'ascii');
  h.write(name, 0, 100, 'utf8');
  octal(0o600, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  if (size < OCTAL_LIMIT) octal(size, 124, 12);
  else {
    h.writeBigUInt64BE(BigInt(size), 128); // GNU base-256 past 8 GiB: the flag byte, then the number
    h[124] = 0x80;
  }
  octal(Math.floor(mtime.getTime() / 1000), 136, 12);
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\x0000', 257, 8, 'ascii');
  h.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** Zero bytes that fill an entry of `size` bytes up to a whole block. */
export const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export interface TarEntry {
  readonly name: string;
  /** Offset of the entry's data in the file. */
  readonly offset: number;
  readonly size: number;
}

/** Every entry of an archive, from its headers alone (the data is not read). */
export async function listEntries(file: FileHandle): Promise<TarEntry[]> {
  const { size: fileSize } = await file.stat();
  const entries: TarEntry[] = [];
  const header = Buffer.alloc(BLOCK);
  for (let at = 0; at + BLOCK <= fileSize; ) {
    await file.read(header, 0, BLOCK, at);
    if (header.every((b) => b === 0)) break;
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const size =
      header[124]! & 0x80
        ? Number(header.readBigUInt64BE(128))
        : Number.parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8);
    if (!header.toString('ascii', 257, 262).startsWith('ustar') || !Number.isFinite(size))
      throw new Error(`not a temporal-ctl backup: no tar header at byte ${at}`);
    entries.push({ name, offset: at + BLOCK, size });
    at += BLOCK + size + padding(size).length;
  }
  return entries;
}
