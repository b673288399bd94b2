// What `top` shows: a redrawn block on a terminal, else a line (or JSON object) per interval.
import type { Context } from './context.js';
import type { MetricsSummary } from '../metrics/summary.js';
import { millis, perSecond, sparkline, summaryLine } from './metrics-render.js';

export interface TopView {
  /** The first scrape is in: rates need the next one. */
  waiting(): void;
  summary(at: Date, s: MetricsSummary): void;
  unreachable(at: Date, detail: string): void;
  done(): void;
}

/** Points a sparkline keeps: 36 intervals (3 minutes at the default 5 s). */
export const HISTORY = 36;

export async function topView(ctx: Context, url: string, every: string): Promise<TopView> {
  const out = ctx.out;
  if (ctx.json)
    return {
      waiting() {},
      summary: (at, s) => out.line(JSON.stringify({ at: at.toISOString(), state: 'ok', url, ...s })),
      unreachable: (at, detail) =>
        out.line(JSON.stringify({ at: at.toISOString(), state: 'unreachable', url, detail })),
      done() {},
    };
  // a pseudo-terminal without a size (rows 0) cannot hold a redrawn block: lines then
  const height = (out.streams.stdout as { rows?: number }).rows ?? 24;
  if (!out.interactive || height <= 0)
    return {
      waiting() {},
      summary: (at, s) => out.line(summaryLine(at, s)),
      unreachable: (at, detail) => out.line(`${at.toISOString()} unreachable ${url} (${detail})`),
      done() {},
    };
  const { createLogUpdate } = await import('log-update');
  const update = createLogUpdate(out.streams.stdout as NodeJS.WriteStream, { showCursor: false });
  const history: (MetricsSummary | null)[] = [];
  let last: string | undefined;
  const draw = (status: string) =>
    update(
      [
        `${out.color.bold('temporal-ctl top')}  ${out.dim(`${url}, every ${every}, Ctrl-C exits`)}`,
        status,
        ...rows(history),
      ].join('\n'),
    );
  draw(out.dim('first scrape in; rates after the next one'));
  return {
    waiting: () => draw(out.dim(last ?? 'first scrape in; rates after the next one')),
    summary(at, s) {
      history.push(s);
      if (history.length > HISTORY) history.shift();
      last = `${at.toLocaleTimeString()}  window ${s.windowSeconds.toFixed(1)} s`;
      draw(out.dim(last));
    },
    unreachable(at, detail) {
      history.push(null);
      if (history.length > HISTORY) history.shift();
      draw(`${at.toLocaleTimeString()}  ${out.bad('unreachable')} (${detail})`);
    },
    done: () => update.done(),
  };
}

type Value = (s: MetricsSummary) => number | null;

const SERIES: [string, Value, (n: number | null) => string][] = [
  ['requests', (s) => s.requests.perSecond, (n) => (n === null ? '-' : perSecond(n))],
  ['errors', (s) => s.errors.perSecond, (n) => (n === null ? '-' : perSecond(n))],
  ['persistence', (s) => s.persistence.perSecond, (n) => (n === null ? '-' : perSecond(n))],
  ['persist p95', (s) => s.persistence.p95Ms, millis],
  ['backlog', (s) => s.backlog?.tasks ?? null, (n) => (n === null ? '-' : `${n} tasks`)],
];

/** One row per series: its name, the latest value, a sparkline of the last HISTORY intervals. */
function rows(history: readonly (MetricsSummary | null)[]): string[] {
  const latest = history.at(-1);
  const shards = latest
    ? `  shards ${latest.shards.owned ?? '-'} owned, ${latest.shards.acquisitions} acquisitions`
    : '';
  return [
    ...SERIES.map(([label, pick, show]) => {
      const values = history.map((s) => (s ? pick(s) : null));
      return `  ${label.padEnd(12)} ${show(latest ? pick(latest) : null).padStart(10)}  ${sparkline(values)}`;
    }),
    shards,
  ];
}
