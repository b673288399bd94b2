// The stable JSON document of `temporal-ctl status --json` (docs/status-json.md).
// Bump STATUS_SCHEMA_VERSION on any change that is not a pure addition.
import type { ServiceName } from '../model/services.js';
import type { ContainerState } from '../docker/container-state.js';
import type { MetricsReport } from '../metrics/scrape.js';
import type { MetricsSummary } from '../metrics/summary.js';
import type { StackStatus } from './collect.js';
import type { NamespaceStatus } from './namespace-probe.js';
import type { RingStatus } from './ring-probe.js';
import type { CertificateExpiry } from '../tls/expiry.js';

export const STATUS_SCHEMA_VERSION = 1;

export interface StatusDocument {
  schemaVersion: typeof STATUS_SCHEMA_VERSION;
  healthy: boolean;
  stack: string;
  mode: 'containers' | 'probe-only';
  checkedAt: string;
  elapsedMs: number;
  warnings: string[];
  /** Whether a worker can use TEMPORAL_NAMESPACE; null when the config runs no server. */
  namespace: {
    name: string;
    state: NamespaceStatus['state'];
    usable: boolean;
    detail: string;
  } | null;
  /** The server's health from its own metrics (added within schema version 1); absent from documents made without it. */
  metrics?: {
    state: MetricsReport['state'];
    url: string | null;
    detail: string | null;
    summary: MetricsSummary | null;
  };
  /** TEMPORAL_TLS and the server certificate's expiry (the file the stack uploads); null when TLS is off. Added by `status`. */
  tls?: CertificateExpiry | null;
  /**
   * TEMPORAL_TOPOLOGY=roles: the server's membership rings, per role the instances in it (history with
   * the shards each owns); absent with single (added within schema version 1).
   */
  ring?: RingStatus;
  services: {
    service: ServiceName;
    /** The row's instance: the service's name, or `<service>-<n>` with replicas (added within schema version 1). */
    instance: string;
    healthy: boolean;
    probed: boolean;
    container: {
      name: string;
      state: ContainerState;
      health: string | null;
      exitCode: number | null;
      restartCount: number;
      /** On a swarm: the node its task runs on; null on one host. */
      node: string | null;
    } | null;
    detail: string;
    version: string | null;
    latencyMs: number | null;
    data: Record<string, unknown> | null;
  }[];
}

export function statusDocument(s: StackStatus, metrics?: MetricsReport): StatusDocument {
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    healthy: s.healthy,
    stack: s.stack,
    mode: s.mode,
    checkedAt: s.checkedAt.toISOString(),
    elapsedMs: s.elapsedMs,
    warnings: s.warnings,
    namespace: s.namespace ?? null,
    ...(metrics ? { metrics: metricsDocument(metrics) } : {}),
    ...(s.ring ? { ring: s.ring } : {}),
    services: s.services.map((x) => ({
      service: x.service,
      instance: x.instance,
      healthy: x.healthy,
      probed: x.probe !== undefined,
      container: x.container && {
        name: x.container.name,
        state: x.container.state,
        health: x.container.health ?? null,
        exitCode: x.container.exitCode ?? null,
        restartCount: x.container.restartCount,
        node: x.container.node ?? null,
      },
      detail: x.detail,
      version: x.probe?.version ?? null,
      latencyMs: x.probe?.latencyMs ?? null,
      data: x.probe?.data ?? null,
    })),
  };
}

function metricsDocument(m: MetricsReport): NonNullable<StatusDocument['metrics']> {
  return {
    state: m.state,
    url: m.state === 'off' ? null : m.url,
    detail: m.state === 'ok' ? null : m.detail,
    summary: m.state === 'ok' ? m.summary : null,
  };
}
