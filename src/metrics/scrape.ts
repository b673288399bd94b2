// Scrapes the server's Prometheus endpoint and turns two scrapes into a report that never throws:
// status must not fail because metrics are off or unreachable, it says so instead.
import type { ClusterConfig } from '../config/schema.js';
import { sleep } from '../sleep.js';
import { parseExposition } from './exposition.js';
import { SUMMARY_METRICS, summarize, type MetricsSummary, type Scrape } from './summary.js';

/** The bound of one scrape: a scrape is heavier than a probe (megabytes of text), so at least 10 s. */
export const scrapeTimeout = (c: ClusterConfig): number => Math.max(c.TEMPORAL_PROBE_TIMEOUT, 10_000);

/** One scrape; throws a one-line reason (refused, timed out, HTTP status, bad line). */
export async function scrape(url: string, timeoutMs: number): Promise<Scrape> {
  const at = Date.now();
  let text: string;
  try {
    // The bound covers the body too: the server writes ~2.7 MB (14,000 series) under load.
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Error(`no answer within ${timeoutMs} ms`);
    throw new Error(e.cause?.code ?? e.cause?.message ?? e.message);
  }
  return { at, samples: parseExposition(text, SUMMARY_METRICS) };
}

export type MetricsReport =
  | { state: 'ok'; url: string; summary: MetricsSummary }
  | { state: 'unreachable'; url: string; detail: string }
  | { state: 'off'; detail: string };

export interface SummaryOptions {
  /** Time between the two scrapes. */
  windowMs: number;
  /** Bound of each scrape. */
  timeoutMs: number;
  /** Resolves when the second scrape may start (e.g. the probes are done), besides the window. */
  alongside?: Promise<unknown>;
  /** When the first scrape fails, try once more after this resolves (status --wait: the endpoint comes up with the server). */
  retryAfter?: Promise<unknown>;
  signal?: AbortSignal;
}

/** Two scrapes windowMs apart, summarized; unreachable (never a throw) when either fails. */
export async function metricsReport(url: string, o: SummaryOptions): Promise<MetricsReport> {
  try {
    const first = await scrape(url, o.timeoutMs).catch(async (error: unknown) => {
      if (!o.retryAfter) throw error;
      await o.retryAfter.catch(() => undefined);
      return scrape(url, o.timeoutMs);
    });
    await Promise.all([
      sleep(Math.max(0, first.at + o.windowMs - Date.now()), o.signal),
      o.alongside?.catch(() => undefined),
    ]);
    const second = await scrape(url, o.timeoutMs);
    return { state: 'ok', url, summary: summarize(first, second) };
  } catch (error) {
    return { state: 'unreachable', url, detail: (error as Error).message };
  }
}
