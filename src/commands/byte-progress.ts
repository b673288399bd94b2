// Progress of a long byte stream (a dump, a restore) on stderr: one line rewritten in place on a
// terminal, a plain line per step otherwise (CI logs), nothing with -o json.
import type { Output } from '../output.js';
import { formatBytes } from '../bytes.js';

export interface ByteProgress {
  begin(what: string): void;
  bytes(done: number, total?: number): void;
  end(summary: string): void;
}

/** At most one redraw per interval, so a fast stream does not flood the terminal. */
const REDRAW_MS = 200;

export function byteProgress(out: Output, json: boolean): ByteProgress {
  let label = '';
  let last = 0;
  const live = out.interactive && !json;
  return {
    begin(what) {
      label = what;
      if (!json) out.streams.stderr.write(live ? `${what}...` : `${what}...\n`);
    },
    bytes(done, total) {
      if (!live || performance.now() - last < REDRAW_MS) return;
      last = performance.now();
      const of = total ? ` of ${formatBytes(total)}` : '';
      out.streams.stderr.write(`\r\x1b[2K${label}: ${formatBytes(done)}${of}`);
    },
    end(summary) {
      if (json) return;
      out.streams.stderr.write(live ? `\r\x1b[2K${summary}\n` : `${summary}\n`);
    },
  };
}
