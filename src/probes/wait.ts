// Polls collectStatus until every service is healthy or the deadline passes.
// Rounds are cheap (modules loaded once, connections kept between rounds) and
// start every 200 ms, so a service that becomes healthy is seen within ~260 ms.
import { probedServices } from '../model/swarm-placement.js';
import type { ClusterConfig } from '../config/schema.js';
import { collectStatus, type CollectOptions, type StackStatus } from './collect.js';
import { probesFor } from './run-probes.js';
import { ProbeSession } from './session.js';
import { sleep } from '../sleep.js';

export const DEFAULT_INTERVAL_MS = 200;
/** A round never gets less than this, even right before the deadline. */
const MIN_ROUND_MS = 100;

export interface WaitOptions extends Omit<CollectOptions, 'timeoutMs' | 'session'> {
  timeoutMs: number;
  /** Time between the starts of two rounds (a round that takes longer is followed at once). */
  intervalMs?: number;
  /** Called after every round (live progress in `start`, nothing in `status --wait`). */
  onRound?: (status: StackStatus, round: number) => void;
  signal?: AbortSignal;
}

export interface WaitResult {
  status: StackStatus;
  timedOut: boolean;
  rounds: number;
  waitedMs: number;
}

export async function waitHealthy(config: ClusterConfig, options: WaitOptions): Promise<WaitResult> {
  const probes = options.probes ?? (await probesFor(probedServices(config)));
  const session = new ProbeSession();
  try {
    return await poll(config, { ...options, probes }, session);
  } finally {
    await session.close();
  }
}

async function poll(config: ClusterConfig, options: WaitOptions, session: ProbeSession): Promise<WaitResult> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const waited = () => Math.round(performance.now() - started);
  for (let round = 1; ; round++) {
    const roundStart = performance.now();
    // The last round must end by the deadline: shrink the per-probe timeout to what is left.
    const left = Math.max(MIN_ROUND_MS, Math.floor(deadline - roundStart));
    const status = await collectStatus(config, {
      ...options,
      session,
      timeoutMs: Math.min(config.TEMPORAL_PROBE_TIMEOUT, left),
    });
    options.onRound?.(status, round);
    if (status.healthy) return { status, timedOut: false, rounds: round, waitedMs: waited() };
    if (performance.now() >= deadline || options.signal?.aborted)
      return { status, timedOut: true, rounds: round, waitedMs: waited() };
    const pause = Math.min(roundStart + interval, deadline) - performance.now();
    if (pause > 0) await sleep(pause, options.signal);
    if (performance.now() >= deadline) return { status, timedOut: true, rounds: round, waitedMs: waited() };
  }
}
