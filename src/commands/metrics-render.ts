// The metrics summary for people: a compact block under status's table, one line per interval
// for `top` in a pipe, and sparklines of recent values for `top` on a terminal.
import type { MetricsReport } from '../metrics/scrape.js';
import type { MetricsSummary } from '../metrics/summary.js';
import type { Output } from '../output.js';

/** Rates: one decimal below 100, none above. */
export const perSecond = (n: number) => `${n < 100 ? n.toFixed(1) : Math.round(n)}/s`;
/** Durations: one decimal below 10 ms, none above; '-' when there is none. */
export const millis = (n: number | null) => (n === null ? '-' : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`);

/** status's block: a heading, then requests, persistence, shards, backlog (or why there is none). */
export function metricsBlock(out: Output, report: MetricsReport): string[] {
  if (report.state === 'off') return [out.dim(`metrics: off (${report.detail})`)];
  if (report.state === 'unreachable')
    return [
      `metrics: ${out.bad('unreachable')} at ${report.url} (${report.detail}) ${out.dim("- the server's Prometheus endpoint, TEMPORAL_METRICS_PORT")}`,
    ];
  const s = report.summary;
  return [
    `metrics ${out.dim(`(${report.url}, ${s.windowSeconds.toFixed(1)} s window)`)}`,
    ...summaryLines(out, s).map(([label, text]) => `  ${label.padEnd(12)} ${text}`),
  ];
}

function summaryLines(out: Output, s: MetricsSummary): [string, string][] {
  const roles = Object.entries(s.requests.byService).map(([name, n]) => `${name} ${perSecond(n)}`);
  const types = Object.entries(s.errors.byType).map(([type, n]) => `${n} ${type.replace(/^serviceerror_/, '')}`);
  const errors = `errors ${perSecond(s.errors.perSecond)}${types.length ? out.dim(` (all errors in window: ${types.join(', ')})`) : ''}`;
  return [
    ['requests', `${perSecond(s.requests.perSecond)} ${out.dim(`(${roles.join(', ') || 'none'})`)}  ${errors}`],
    [
      'persistence',
      `${perSecond(s.persistence.perSecond)}  p95 ${millis(s.persistence.p95Ms)}  errors ${perSecond(s.persistence.errorsPerSecond)}`,
    ],
    [
      'shards',
      `${s.shards.owned ?? '-'} owned  ${s.shards.acquisitions} acquisitions since start (${s.shards.acquisitionsInWindow} in window, p95 ${millis(s.shards.acquireP95Ms)})`,
    ],
    ['backlog', backlogText(s)],
  ];
}

function backlogText(s: MetricsSummary): string {
  if (!s.backlog) return '- (not reported: no task queue loaded yet)';
  const top = s.backlog.largest;
  return `${s.backlog.tasks} tasks${top ? ` (largest: ${top.namespace}/${top.taskQueue} ${top.taskType} ${top.tasks})` : ''}`;
}

/** One line per interval (top in a pipe): time and the headline numbers, key=value. */
export function summaryLine(at: Date, s: MetricsSummary): string {
  return [
    at.toISOString(),
    `req=${perSecond(s.requests.perSecond)}`,
    `err=${perSecond(s.errors.perSecond)}`,
    `persist=${perSecond(s.persistence.perSecond)}`,
    `persist_p95=${s.persistence.p95Ms === null ? '-' : `${s.persistence.p95Ms}ms`}`,
    `shards=${s.shards.owned ?? '-'}`,
    `acquisitions=${s.shards.acquisitions}`,
    `backlog=${s.backlog?.tasks ?? '-'}`,
  ].join(' ');
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of values scaled to their own maximum; a missing value is a space. */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (max === 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))];
    })
    .join('');
}
