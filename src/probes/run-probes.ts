// Runs the probes of the enabled services in parallel, each bounded by
// TEMPORAL_PROBE_TIMEOUT. The runner enforces the bound itself: a probe that
// ignores its AbortSignal is still cut off and reported as timed out.
import { probedServices } from '../model/swarm-placement.js';
import type { ClusterConfig } from '../config/schema.js';
import type { ServiceName } from '../model/services.js';
import { formatDuration } from '../config/duration.js';
import type { Probe, ProbeResult } from './probe.js';
import { reason, ConfigError } from '../errors.js';
import { loadProbe } from './service-probes.js';
import type { ProbeSession } from './session.js';

/** The probes of the services that declare one (the others are judged by container state). */
export async function probesFor(services: readonly ServiceName[]): Promise<Probe[]> {
  const probes = await Promise.all(services.flatMap((s) => loadProbe(s) ?? []));
  await Promise.all(probes.map((p) => p.prepare?.()));
  return probes;
}

export interface RunProbesOptions {
  /** Defaults to the probes of probedServices(config). */
  probes?: Probe[];
  timeoutMs?: number;
  /** Keeps connections between rounds (wait loops). */
  session?: ProbeSession;
}

/** Results keyed by service, in the order of the probes. Rejects only with a ConfigError. */
export async function runProbes(
  config: ClusterConfig,
  options: RunProbesOptions = {},
): Promise<Map<ServiceName, ProbeResult>> {
  const probes = options.probes ?? (await probesFor(probedServices(config)));
  const timeoutMs = options.timeoutMs ?? config.TEMPORAL_PROBE_TIMEOUT;
  const results = await Promise.all(probes.map((p) => runOne(p, config, timeoutMs, options.session)));
  return new Map(probes.map((p, i) => [p.service, results[i]!]));
}

/** One probe with its own deadline; a throw or a hang becomes an unhealthy result. */
export async function runOne(
  probe: Probe,
  config: ClusterConfig,
  timeoutMs: number,
  session?: ProbeSession,
): Promise<ProbeResult> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${formatDuration(timeoutMs)} (TEMPORAL_PROBE_TIMEOUT)`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([probe.run(config, controller.signal, session), deadline]);
    return { ...outcome, latencyMs: elapsed(started) };
  } catch (error) {
    if (error instanceof ConfigError) throw error; // a bad TLS file is the user's config, exit 2, not "unhealthy"
    return { healthy: false, detail: reason(error), latencyMs: elapsed(started) };
  } finally {
    clearTimeout(timer);
    controller.abort(new Error('probe finished'));
  }
}

const elapsed = (started: number): number => Math.round(performance.now() - started);
