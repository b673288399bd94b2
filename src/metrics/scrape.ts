// Scrapes the server's Prometheus endpoint and turns two scrapes into a report that never throws:
// status must not fail because metrics are off or unreachable, it says so instead.
import type { ClusterConfig } from '../config/schema.js';
import { httpGet, type HttpAnswer } from '../http-get.js';
import { reason } from '../errors.js';
import { sleep } from '../sleep.js';
import { parseExposition } from './exposition.js';
import { SUMMARY_METRICS, summarize, type MetricsSummary, type Scrape } from './summary.js';

/** The bound of one scrape: a scrape is heavier than a probe (megabytes of text), so at least 10 s. */
export const scrapeTimeout = (c: ClusterConfig): number => Math.max(c.TEMPORAL_PROBE_TIMEOUT, 10_000);

/** One scrape; throws a one-line reason (refused, timed out, HTTP status, bad line). */
export async function scrape(url: string, timeoutMs: number): Promise<Scrape> {
  const at = Date.now();
  // The bound covers the body too: the server writes ~2.7 MB (14,000 series) under load.
  const signal = AbortSignal.timeout(timeoutMs);
  let answer: HttpAnswer;
  try {
    answer = await httpGet(url, signal);
  } catch (error) {
    if (signal.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
    // the bare code (ECONNREFUSED) when there is one: the url is beside it in the report
    const code = (error as { code?: unknown }).code;
    throw new Error(typeof code === 'string' ? code : reason(error));
  }
  if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status}`);
  return { at, samples: parseExposition(answer.text, SUMMARY_METRICS) };
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
