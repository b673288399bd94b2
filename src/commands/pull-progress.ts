// Per-image progress while images are pulled, as docker compose shows it: one line per image,
// redrawn in place on a terminal ("⠹ postgres:16  Downloading [===>    ] 12.3MB/40.1MB"), plain lines
// in CI or a pipe (each change of phase, the byte count at most every PLAIN_EVERY_MS).
import type { PullProgress } from '../docker/pull-tracker.js';
import type { Output } from '../output.js';
import { FRAMES, liveTerminal, type CreateLogUpdate } from './start-progress.js';

/** In plain mode, repeat an image's byte count at most this often. */
const PLAIN_EVERY_MS = 5_000;
const BAR_WIDTH = 20;
/** How often the live display redraws without news (the spinner's pace). */
const TICK_MS = 120;

export interface PullDisplay {
  update(progress: PullProgress, afterMs: number): void;
  /** Leaves the final picture on screen. */
  done(): void;
}

/** Loads what the display needs up front; the returned function starts one for the given images. */
export async function pullDisplayFactory(out: Output): Promise<(refs: readonly string[]) => PullDisplay> {
  const logUpdate = liveTerminal(out) ? (await import('log-update')).createLogUpdate : undefined;
  return (refs) => (logUpdate ? redraw(out, refs, logUpdate) : plain(out));
}

/** Bytes as docker shows them (decimal units): 12.3MB. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)}${units[unit]}`;
}

const PHASE_WORD: Readonly<Record<PullProgress['phase'], string>> = {
  pulling: 'Pulling',
  downloading: 'Downloading',
  extracting: 'Extracting',
  pulled: 'Pulled',
};

const bytesOf = (p: PullProgress): string => (p.total > 0 ? `${humanBytes(p.current)}/${humanBytes(p.total)}` : '');

/** The words after the image: phase, bytes, layers; a pulled image says how much and how long. */
export function pullText(p: PullProgress, afterMs: number): string {
  const took = `${(afterMs / 1000).toFixed(1)}s`;
  if (p.phase === 'pulled') return `Pulled${p.total > 0 ? ` ${humanBytes(p.total)}` : ''} in ${took}`;
  const layers = p.layers > 0 ? ` (${p.layersDone}/${p.layers} layers)` : '';
  return [PHASE_WORD[p.phase], bytesOf(p)].filter(Boolean).join(' ') + layers;
}

function bar(p: PullProgress): string {
  const filled = p.total > 0 ? Math.min(BAR_WIDTH, Math.round((p.current / p.total) * BAR_WIDTH)) : 0;
  return `[${'='.repeat(filled)}${filled < BAR_WIDTH ? '>' : ''}${' '.repeat(Math.max(0, BAR_WIDTH - filled - 1))}]`;
}

function redraw(out: Output, refs: readonly string[], createLogUpdate: CreateLogUpdate): PullDisplay {
  const update = createLogUpdate(out.streams.stderr as NodeJS.WriteStream, { showCursor: false });
  const width = Math.max(...refs.map((r) => r.length));
  const state = new Map<string, { progress: PullProgress; afterMs: number }>();
  let frame = 0;
  // Redrawn on a clock too: the spinner shows life while a registry is slow to answer.
  const ticker = setInterval(() => draw(), TICK_MS).unref();
  const draw = () => {
    const spinner = FRAMES[frame++ % FRAMES.length]!;
    const lines = refs.map((ref) => {
      const s = state.get(ref);
      if (!s) return `${out.color.cyan(spinner)} ${ref.padEnd(width)}  ${out.dim('Waiting')}`;
      if (s.progress.phase === 'pulled')
        return `${out.ok('✔')} ${ref.padEnd(width)}  ${out.ok(pullText(s.progress, s.afterMs))}`;
      const showBar = s.progress.phase === 'downloading' && s.progress.total > 0;
      return `${out.color.cyan(spinner)} ${ref.padEnd(width)}  ${showBar ? `${bar(s.progress)} ` : ''}${pullText(s.progress, s.afterMs)}`;
    });
    update(lines.join('\n'));
  };
  draw();
  return {
    update(progress, afterMs) {
      state.set(progress.ref, { progress, afterMs });
      draw();
    },
    done() {
      clearInterval(ticker);
      update.done();
    },
  };
}

function plain(out: Output): PullDisplay {
  const last = new Map<string, { phase: PullProgress['phase']; at: number }>();
  return {
    update(progress, afterMs) {
      const before = last.get(progress.ref);
      const changed = before?.phase !== progress.phase;
      if (!changed && (progress.phase !== 'downloading' || afterMs - before!.at < PLAIN_EVERY_MS)) return;
      last.set(progress.ref, { phase: progress.phase, at: afterMs });
      out.info(`${progress.ref}: ${pullText(progress, afterMs)}`);
    },
    done() {},
  };
}
