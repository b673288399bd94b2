// `temporal-ctl status`: container state and a protocol probe per service, in parallel.
// Exit 0 all healthy, 1 any unhealthy, 2 usage/config. Heavy modules load inside the action.
import { formatDuration } from '../config/duration.js';
import type { StackStatus } from '../probes/collect.js';
import { endpoints, stackName } from '../model/names-and-endpoints.js';
import { serverMetricsPublished } from '../model/service-facts.js';
import type { ClusterConfig } from '../config/schema.js';
import type { Env } from '../docker/client.js';
import type { MetricsReport } from '../metrics/scrape.js';
import type { Call, CommandResult } from './spec.js';

interface StatusFlags {
  wait?: boolean;
  timeout: number;
  interval: number;
  /** --no-metrics sets false. */
  metrics: boolean;
  metricsWindow: number;
}

export async function status({ ctx, flags }: Call<object, StatusFlags>): Promise<CommandResult> {
  const config = ctx.config;
  let status: StackStatus;
  let timedOut = false;
  // Scraped alongside the probes (and --wait's rounds), so the window costs little extra time.
  let probed = () => {};
  const probesDone = new Promise<void>((resolve) => (probed = resolve));
  const metrics = metricsOf(config, flags, probesDone);
  if (flags.wait) {
    const { waitHealthy } = await import('../probes/wait.js');
    ({ status, timedOut } = await waitHealthy(config, {
      timeoutMs: flags.timeout,
      intervalMs: flags.interval,
      env: ctx.env,
    }));
  } else {
    const { collectStatus } = await import('../probes/collect.js');
    status = await collectStatus(config, { env: ctx.env });
  }
  probed();
  const report = await metrics;
  // Only when the engine answered the listing (else it is a warning already).
  if (status.mode === 'probe-only' && status.warnings.length === 0)
    status.warnings.push(...(await otherProfileWarnings(config, ctx.env)));
  const tls = await import('../tls/expiry.js');
  const expiry = await tls.serverCertificateExpiry(config);
  const expiryWarning = tls.expiryWarning(expiry);
  if (expiryWarning) status.warnings.push(expiryWarning);
  for (const w of status.warnings) ctx.out.warn(w);
  if (!status.healthy) {
    const bad = [
      ...status.services.filter((s) => !s.healthy).map((s) => s.instance),
      ...(status.namespace && !status.namespace.usable
        ? [`namespace ${status.namespace.name} (${status.namespace.detail})`]
        : []),
      ...(status.ring && !status.ring.complete ? [`membership ring (${status.ring.detail})`] : []),
    ].join(', ');
    ctx.out.error(timedOut ? `not healthy after ${formatDuration(flags.timeout)}: ${bad}` : `unhealthy: ${bad}`);
  }
  const { statusDocument } = await import('../probes/document.js');
  return {
    document: { ...statusDocument(status, report), tls: expiry ?? null },
    text: async (out) => {
      const [{ renderStatusTable }, { metricsBlock }] = await Promise.all([
        import('./status-table.js'),
        import('./metrics-render.js'),
      ]);
      await renderStatusTable(out, status);
      if (expiry) out.line(tls.expiryLine(expiry));
      for (const line of metricsBlock(out, report)) out.line(line);
    },
    exitCode: status.healthy ? 0 : 1,
  };
}

/** The metrics summary; never throws (off or unreachable is a state of the report). */
async function metricsOf(config: ClusterConfig, flags: StatusFlags, probesDone: Promise<void>): Promise<MetricsReport> {
  if (!flags.metrics) return { state: 'off', detail: '--no-metrics' };
  // Each role instance serves its own metrics on the project network only; Prometheus scrapes them all.
  if (!serverMetricsPublished(config))
    return {
      state: 'off',
      detail:
        'no published server metrics port (TEMPORAL_TOPOLOGY=roles: TEMPORAL_METRICS=prometheus scrapes every instance)',
    };
  const { metricsReport, scrapeTimeout } = await import('../metrics/scrape.js');
  return metricsReport(endpoints(config).metrics, {
    windowMs: flags.metricsWindow,
    timeoutMs: scrapeTimeout(config),
    alongside: probesDone,
    retryAfter: probesDone,
  });
}

/** No container of ours: the probes may be answered by another profile of the project on the same ports. */
async function otherProfileWarnings(config: ClusterConfig, env: Env): Promise<string[]> {
  const { otherStacksOfProject } = await import('../docker/profiles.js');
  // As quick as the probes: the engine gets the probe timeout.
  const deadline = { ms: config.TEMPORAL_PROBE_TIMEOUT, key: 'TEMPORAL_PROBE_TIMEOUT' };
  const others = await otherStacksOfProject(config, env, deadline).catch(() => []);
  return others
    .filter((o) => o.containers.length > 0)
    .map(
      (o) =>
        `no container of stack ${stackName(config)} exists, but profile ${o.profile} of this project runs (${o.containers.join(', ')}): what answers the probes may be that profile (\`temporal-ctl status --profile ${o.profile}\`)`,
    );
}
