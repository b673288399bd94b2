// Live per-service progress while `start` waits: a redrawn list on a terminal, plain
// lines (one per change) when not a terminal or in CI.
import { formatDuration } from '../config/duration.js';
import type { Output } from '../output.js';
import type { ServiceStatus, StackStatus } from '../probes/collect.js';

export const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** In plain mode, repeat the list of waiting services at most this often. */
const PLAIN_REPEAT_MS = 15_000;

export interface Progress {
  round(status: StackStatus): void;
  /** Leaves the final picture on screen. */
  done(): void;
}

/** Whether progress may redraw lines in place: stderr is a terminal with a size, and not CI. */
export function liveTerminal(out: Output): boolean {
  // A pseudo-terminal without a size (rows 0) cannot hold a redrawn block: plain lines then.
  const rows = (out.streams.stderr as { rows?: number }).rows ?? 24;
  return out.interactive && Boolean(out.streams.stderr.isTTY) && rows > 0;
}

/** Loads what the display needs up front; the returned function starts one synchronously. */
export async function progressFactory(out: Output): Promise<() => Progress> {
  const logUpdate = liveTerminal(out) ? (await import('log-update')).createLogUpdate : undefined;
  return () => {
    const started = performance.now();
    const since = () => formatDuration(Math.round((performance.now() - started) / 100) * 100);
    return logUpdate ? redraw(out, since, logUpdate) : plain(out, since);
  };
}

export type CreateLogUpdate = typeof import('log-update').createLogUpdate;

/** log-update rewrites the block in place (and handles wrapping and the cursor). */
function redraw(out: Output, since: () => string, createLogUpdate: CreateLogUpdate): Progress {
  const update = createLogUpdate(out.streams.stderr as NodeJS.WriteStream, { showCursor: false });
  let frame = 0;
  const width = 14;
  return {
    round(status) {
      const spinner = FRAMES[frame++ % FRAMES.length]!;
      const room = Math.max(10, ((out.streams.stderr as { columns?: number }).columns ?? 100) - width - 20);
      const lines = status.services.map(
        (s) =>
          `${s.healthy ? out.ok('✔') : out.color.cyan(spinner)} ${s.instance.padEnd(width)} ${describe(out, s, room)}`,
      );
      if (status.ring && !status.ring.complete)
        lines.push(`${out.color.cyan(spinner)} ${'ring'.padEnd(width)} ${status.ring.detail}`);
      lines.push(out.dim(`  waiting ${since()}`));
      update(lines.join('\n'));
    },
    done() {
      update.done();
    },
  };
}

function plain(out: Output, since: () => string): Progress {
  const seen = new Map<string, boolean>();
  let lastRepeat = 0;
  return {
    round(status) {
      for (const s of status.services) {
        if (seen.get(s.instance) === s.healthy) continue;
        if (s.healthy || seen.has(s.instance))
          out.info(
            `${s.instance}: ${s.healthy ? 'healthy' : 'not healthy'} after ${since()}${s.healthy ? '' : ` (${s.detail})`}`,
          );
        seen.set(s.instance, s.healthy);
      }
      const waiting = [
        ...status.services.filter((s) => !s.healthy).map((s) => `${s.instance} (${s.detail})`),
        ...(status.ring && !status.ring.complete ? [`the membership ring (${status.ring.detail})`] : []),
      ];
      if (waiting.length > 0 && performance.now() - lastRepeat >= PLAIN_REPEAT_MS) {
        lastRepeat = performance.now();
        out.info(`waiting for ${waiting.join(', ')} [${since()}]`);
      }
    },
    done() {},
  };
}

function describe(out: Output, s: ServiceStatus, room: number): string {
  const detail = s.detail.length > room ? `${s.detail.slice(0, room - 3)}...` : s.detail;
  return s.healthy ? out.ok(`healthy ${out.dim(detail)}`) : out.dim(detail || 'waiting');
}
