// The protocol probe of each service whose declaration says `probe: 'protocol'` (src/model/services.ts).
// Typed over exactly those services: a service declared with a protocol probe and missing here, or
// one judged by container state and listed here, does not compile. Each probe module is loaded on
// first use: it pulls in its service's client library.
import { SERVICE_MODEL, type ServiceName } from '../model/services.js';
import type { Probe } from './probe.js';

/** The services judged by a protocol probe. */
export type ProtocolProbed = {
  [S in ServiceName]: (typeof SERVICE_MODEL)[S]['probe'] extends 'protocol' ? S : never;
}[ServiceName];

export const SERVICE_PROBES: { readonly [S in ProtocolProbed]: () => Promise<Probe> } = {
  postgresql: async () => (await import('./postgresql-probe.js')).postgresqlProbe,
  elasticsearch: async () => (await import('./elasticsearch-probe.js')).elasticsearchProbe,
  server: async () => (await import('./temporal-probe.js')).temporalProbe,
  // The same checks through the balancer: health, version and schema as a client gets them.
  'frontend-lb': async () => ({ ...(await import('./temporal-probe.js')).temporalProbe, service: 'frontend-lb' }),
  ui: async () => (await import('./ui-probe.js')).uiProbe,
  'ui-proxy': async () => (await import('./ui-proxy-probe.js')).uiProxyProbe,
  prometheus: async () => (await import('./prometheus-probe.js')).prometheusProbe,
  grafana: async () => (await import('./grafana-probe.js')).grafanaProbe,
};

/** The service's protocol probe, loaded; undefined for a service judged by its container's state. */
export function loadProbe(s: ServiceName): Promise<Probe> | undefined {
  return SERVICE_MODEL[s].probe === 'protocol' ? SERVICE_PROBES[s as ProtocolProbed]() : undefined;
}
