// Reading a file the user named (the env file, its secrets file, a KEY_FILE): only a regular file.
// A directory would fail with an internal EISDIR, and a FIFO or a device would block the read until
// something writes to it, so a command would hang instead of saying what is wrong.
import { readFileSync, statSync } from 'node:fs';

/** What a path is, when it is not a regular file. */
function kindOf(path: string): string | undefined {
  const s = statSync(path); // a missing file throws ENOENT, which the callers report
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * The file's text; throws an error whose `code` is `ENOTREG` and whose message says what the path is
 * instead. /dev/null reads as empty: `--env-file /dev/null` is how a script says "no env file".
 */
export function readRegularFile(path: string): string {
  if (path === '/dev/null') return '';
  const kind = kindOf(path);
  if (kind) throw Object.assign(new Error(`${path} is ${kind}, not a file`), { code: 'ENOTREG', kind });
  return readFileSync(path, 'utf8');
}
