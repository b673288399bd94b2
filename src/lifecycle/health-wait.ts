// start's wait for health: every probe healthy within what is left of --timeout, or the
// unhealthy services named with the first one's last log lines. It removes nothing.
import type { ClusterConfig } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import type { Env } from '../docker/client.js';
import { OperationError } from '../errors.js';
import type { ServiceName } from '../model/services.js';
import type { StackStatus } from '../probes/collect.js';
import type { Emit } from './events.js';

export async function waitUntilHealthy(
  config: ClusterConfig,
  bound: {
    readonly remainingMs: number;
    readonly totalMs: number;
    readonly signal: AbortSignal;
    /** Only the live status and a failure: a rolling change waits after every instance. */
    readonly quiet?: boolean;
  },
  env: Env,
  emit: Emit,
): Promise<void> {
  const { waitHealthy } = await import('../probes/wait.js');
  const timeoutMs = bound.remainingMs;
  if (!bound.quiet) emit({ type: 'waiting', timeoutMs });
  const healthySince = new Set<string>();
  const started = performance.now();
  const result = await waitHealthy(config, {
    timeoutMs,
    env,
    namespace: false, // ensured (and waited for until usable) after this wait
    signal: bound.signal,
    onRound: (status) => {
      emit({ type: 'status', status });
      for (const s of status.services) {
        if (bound.quiet || !s.healthy || healthySince.has(s.instance)) continue;
        healthySince.add(s.instance);
        emit({
          type: 'service-healthy',
          service: s.service,
          instance: s.instance,
          afterMs: Math.round(performance.now() - started),
        });
      }
    },
  });
  if (!result.timedOut && result.status.healthy) {
    if (!bound.quiet) emit({ type: 'healthy', afterMs: result.waitedMs });
    return;
  }
  await failWithLogs(config, result.status, bound.totalMs, env, emit);
}

/** Names the unhealthy services, shows the first one's last log lines, fails. Removes nothing. */
async function failWithLogs(
  config: ClusterConfig,
  status: StackStatus,
  timeoutMs: number,
  env: Env,
  emit: Emit,
): Promise<never> {
  const bad = status.services.filter((s) => !s.healthy);
  const first = bad[0];
  if (first) await reportUnhealthy(config, first.service, env, emit);
  const names = bad.map((s) => `${s.instance} (${s.detail})`).join('; ');
  throw new OperationError(`not healthy within --timeout ${formatDuration(timeoutMs)}: ${names || 'unknown'}`, {
    hint: `nothing was removed; \`temporal-ctl logs ${first?.service ?? ''}\` shows more, then run \`temporal-ctl start\` again (or a longer --timeout)`,
  });
}

export async function reportUnhealthy(
  config: ClusterConfig,
  service: ServiceName,
  env: Env,
  emit: Emit,
): Promise<void> {
  const { lastLogLines } = await import('../docker/container-logs.js');
  const lastLines = await lastLogLines(config, service, 20, env).catch(() => []);
  emit({ type: 'service-unhealthy', service, lastLines });
}
