// The one interface every health probe implements, so status, start's wait loop
// and the smoke test share the same checks.
import type { ClusterConfig } from '../config/schema.js';
import type { ServiceName } from '../model/services.js';
import type { ProbeSession } from './session.js';

export interface ProbeResult {
  healthy: boolean;
  /** One sentence: what was seen, and for a failure what to do. */
  detail: string;
  /** The version the service reported, when it reports one. */
  version?: string;
  latencyMs: number;
  /** Probe-specific facts (schema versions, cluster status) for --json. */
  data?: Record<string, unknown>;
}

export interface Probe {
  service: ServiceName;
  /**
   * Must stop work when signal aborts; the runner cuts it off regardless. A session
   * (wait loops) lets the probe keep its connections for the next round.
   */
  run(config: ClusterConfig, signal: AbortSignal, session?: ProbeSession): Promise<Omit<ProbeResult, 'latencyMs'>>;
  /** Loads heavy modules before the clock starts, so latency measures the service, not our imports. */
  prepare?(): Promise<unknown>;
}
