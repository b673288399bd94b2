// `temporal-ctl top`: the metrics summary refreshed every --interval. On a terminal a block redrawn
// in place with sparklines of the last minutes; in a pipe (or CI) one line per interval, with
// -o json one JSON object per line. Ctrl-C ends it with exit 0.
import { endpoints } from '../model/names-and-endpoints.js';
import { serverMetricsPublished } from '../model/service-facts.js';
import { UsageError } from '../errors.js';
import { formatDuration } from '../config/duration.js';
import type { Scrape } from '../metrics/summary.js';
import type { Call } from './spec.js';
import type { TopView } from './top-view.js';

interface TopFlags {
  interval: number;
}

export async function top({ ctx, flags }: Call<object, TopFlags>): Promise<undefined> {
  const config = ctx.config;
  // Each role instance serves its own endpoint on the project network only: nothing to read here.
  if (!serverMetricsPublished(config))
    throw new UsageError(
      "top reads the server's published metrics port, which TEMPORAL_TOPOLOGY=roles does not publish (each instance serves its own on the project network); use TEMPORAL_METRICS=prometheus, which scrapes every instance, or docs/scaling.md#metrics",
    );
  const { scrape, scrapeTimeout } = await import('../metrics/scrape.js');
  const { summarize } = await import('../metrics/summary.js');
  const { topView } = await import('./top-view.js');
  const url = endpoints(config).metrics;
  const timeoutMs = Math.min(flags.interval, scrapeTimeout(config));
  const view: TopView = await topView(ctx, url, formatDuration(flags.interval));
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop); // Ctrl-C: leave the last picture, exit 0
  process.once('SIGTERM', stop);
  const { sleep } = await import('../sleep.js');
  let previous: Scrape | undefined;
  try {
    while (!controller.signal.aborted) {
      const started = Date.now();
      try {
        const next = await scrape(url, timeoutMs);
        if (previous) view.summary(new Date(next.at), summarize(previous, next));
        else view.waiting();
        previous = next;
      } catch (error) {
        // the endpoint went away (a restart): say so, and start the rates afresh when it is back
        if (!controller.signal.aborted) view.unreachable(new Date(), (error as Error).message);
        previous = undefined;
      }
      await sleep(Math.max(0, started + flags.interval - Date.now()), controller.signal);
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    view.done();
  }
  return undefined;
}
