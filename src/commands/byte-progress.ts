// Progress of long byte streams (a dump, a restore) on stderr: on a terminal one line per step,
// redrawn in place with the bytes so far; without one (CI, a pipe) plain lines, one per step and one
// every 10 s while bytes flow; nothing with -o json.
import type { Output } from '../output.js';
import { formatBytes } from '../bytes.js';

export interface ByteProgress {
  /** A new step: ends the previous one's line. */
  begin(what: string): void;
  bytes(done: number, total?: number): void;
  /** Ends the current line, replaced by `summary` when given. */
  end(summary?: string): void;
}

/** At most one redraw per interval, so a fast stream does not flood the terminal. */
const REDRAW_MS = 200;
/** Without a terminal, a plain line this often (a large dump in CI shows it is moving). */
const LINE_MS = 10_000;

export function byteProgress(out: Output, json: boolean): ByteProgress {
  const live = out.interactive && !json;
  const write = (text: string) => out.streams.stderr.write(text);
  let label = '';
  let last = 0;
  let open = false; // a live line without its newline yet
  const end = (summary?: string) => {
    if (json) return;
    if (live && open) write(summary ? `\r\x1b[2K${summary}\n` : '\n');
    else if (summary) write(`${summary}\n`);
    open = false;
  };
  return {
    begin(what) {
      end();
      label = what;
      last = performance.now();
      if (json) return;
      write(live ? `${what}...` : `${what}...\n`);
      open = live;
    },
    bytes(done, total) {
      if (json || performance.now() - last < (live ? REDRAW_MS : LINE_MS)) return;
      last = performance.now();
      const text = `${label}: ${formatBytes(done)}${total ? ` of ${formatBytes(total)}` : ''}`;
      write(live ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    end,
  };
}
