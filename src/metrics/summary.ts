// A health summary of the server from two scrapes of its Prometheus endpoint: rates need two
// samples of a counter, and a latency percentile over the window needs two of a histogram's
// buckets. Metric names are the server's own (1.32, common/metrics/metric_defs.go); a metric the
// server has not emitted yet (service_errors before the first failure) counts as zero.
import type { Sample } from './exposition.js';

export interface Scrape {
  /** When it was taken (ms since epoch). */
  readonly at: number;
  readonly samples: readonly Sample[];
}

export interface MetricsSummary {
  /** Seconds between the two scrapes. */
  windowSeconds: number;
  /** gRPC requests the server's roles handled (service_requests), per role. */
  requests: { perSecond: number; byService: Record<string, number> };
  /** Unexpected failures (service_errors) per second, and every error by type in the window (service_error_with_type). */
  errors: { perSecond: number; byType: Record<string, number> };
  /** Calls to PostgreSQL (persistence_requests, persistence_errors), p95 of persistence_latency in the window. */
  persistence: { perSecond: number; errorsPerSecond: number; p95Ms: number | null };
  /** History shards owned now (numshards_gauge), acquisitions since start and in the window, their p95 since start. */
  shards: { owned: number | null; acquisitions: number; acquisitionsInWindow: number; acquireP95Ms: number | null };
  /** Tasks waiting in task queues (approximate_backlog_count, reported by matching), null when not reported. */
  backlog: {
    tasks: number;
    largest: { namespace: string; taskQueue: string; taskType: string; tasks: number } | null;
  } | null;
}

/** The series summarize() reads (scrape() parses only these). */
export const SUMMARY_METRICS: ReadonlySet<string> = new Set([
  'service_requests',
  'service_errors',
  'service_error_with_type',
  'persistence_requests',
  'persistence_errors',
  'persistence_latency_bucket',
  'numshards_gauge',
  'acquire_shards_count',
  'acquire_shards_latency_bucket',
  'approximate_backlog_count',
]);

type Filter = (labels: Readonly<Record<string, string>>) => boolean;

const all: Filter = () => true;

/** Sum of a metric's series (a counter absent from the scrape is 0). */
export function total(s: Scrape, name: string, filter: Filter = all): number {
  let sum = 0;
  for (const x of s.samples) if (x.name === name && filter(x.labels)) sum += x.value;
  return sum;
}

/** Per-second increase of a counter; a restart (counter went down) counts from zero. */
export function rate(a: Scrape, b: Scrape, name: string, filter: Filter = all): number {
  const seconds = (b.at - a.at) / 1000;
  if (seconds <= 0) return 0;
  const before = total(a, name, filter);
  const after = total(b, name, filter);
  return (after >= before ? after - before : after) / seconds;
}

/** A histogram's buckets summed over its series: upper bound -> cumulative count, ascending. */
export function buckets(s: Scrape, name: string): Map<number, number> {
  const byLe = new Map<number, number>();
  for (const x of s.samples) {
    if (x.name !== `${name}_bucket` || x.labels.le === undefined) continue;
    const le = x.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(x.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + x.value);
  }
  return new Map([...byLe].sort((p, q) => p[0] - q[0]));
}

/** Bucket counts of b minus a (what was observed in between); a restart keeps b's counts. */
export function bucketDelta(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  const reset = [...b].some(([le, n]) => n < (a.get(le) ?? 0));
  return new Map([...b].map(([le, n]) => [le, reset ? n : n - (a.get(le) ?? 0)]));
}

/**
 * The q-quantile of cumulative buckets, interpolated linearly inside its bucket as Prometheus's
 * histogram_quantile does; null without observations. Above the last finite bound: that bound.
 */
export function quantile(q: number, cumulative: Map<number, number>): number | null {
  const entries = [...cumulative];
  const count = entries.at(-1)?.[1] ?? 0;
  if (count <= 0) return null;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, n] of entries) {
    if (n >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lowerBound;
      if (n === lowerCount) return le;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / (n - lowerCount);
    }
    lowerBound = le;
    lowerCount = n;
  }
  return lowerBound;
}

const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1e6) / 1e3);

/** The summary of the window between scrapes a and b (b the later). */
export function summarize(a: Scrape, b: Scrape): MetricsSummary {
  const windowSeconds = (b.at - a.at) / 1000;
  const services = [
    ...new Set(b.samples.filter((x) => x.name === 'service_requests').map((x) => x.labels.service_name ?? '')),
  ];
  const byService = Object.fromEntries(
    services.sort().map((name) => [name, rate(a, b, 'service_requests', (l) => (l.service_name ?? '') === name)]),
  );
  return {
    windowSeconds,
    requests: { perSecond: rate(a, b, 'service_requests'), byService },
    errors: { perSecond: rate(a, b, 'service_errors'), byType: errorsByType(a, b) },
    persistence: {
      perSecond: rate(a, b, 'persistence_requests'),
      errorsPerSecond: rate(a, b, 'persistence_errors'),
      p95Ms: ms(quantile(0.95, bucketDelta(buckets(a, 'persistence_latency'), buckets(b, 'persistence_latency')))),
    },
    shards: {
      owned: b.samples.some((x) => x.name === 'numshards_gauge') ? total(b, 'numshards_gauge') : null,
      acquisitions: total(b, 'acquire_shards_count'),
      acquisitionsInWindow: Math.round(rate(a, b, 'acquire_shards_count') * windowSeconds),
      acquireP95Ms: ms(quantile(0.95, buckets(b, 'acquire_shards_latency'))),
    },
    backlog: backlog(b),
  };
}

/** Errors of every kind (expected ones too: NotFound, InvalidArgument...) counted in the window, by type. */
function errorsByType(a: Scrape, b: Scrape): Record<string, number> {
  const types = new Set(
    b.samples.filter((x) => x.name === 'service_error_with_type').map((x) => x.labels.error_type ?? ''),
  );
  const seconds = (b.at - a.at) / 1000;
  const counts: [string, number][] = [...types].map((t) => [
    t,
    Math.round(rate(a, b, 'service_error_with_type', (l) => (l.error_type ?? '') === t) * seconds),
  ]);
  return Object.fromEntries(counts.filter(([, n]) => n > 0).sort((p, q) => q[1] - p[1]));
}

function backlog(s: Scrape): MetricsSummary['backlog'] {
  const series = s.samples.filter((x) => x.name === 'approximate_backlog_count');
  if (series.length === 0) return null;
  const top = series.reduce((p, q) => (q.value > p.value ? q : p));
  return {
    tasks: total(s, 'approximate_backlog_count'),
    largest:
      top.value > 0
        ? {
            namespace: top.labels.namespace ?? '',
            taskQueue: top.labels.taskqueue ?? '',
            taskType: top.labels.task_type ?? '',
            tasks: top.value,
          }
        : null,
  };
}
