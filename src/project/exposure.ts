// Who can reach the cluster: the rules on publish addresses and CORS origins. Production refuses a
// frontend and Web UI reachable beyond the host unless gRPC has TLS and the UI asks for a login;
// development only warns. PostgreSQL and Elasticsearch follow TEMPORAL_STORE_PUBLISH_ADDRESS.
import { publishedPorts } from '../model/service-facts.js';
import { where, type Origins } from '../config/origins.js';
import type { ClusterConfig } from '../config/schema.js';

/** 127.0.0.0/8, ::1 and localhost: reachable from the Docker host only. */
export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return a === 'localhost' || a === '::1' || /^127(\.\d{1,3}){3}$/.test(a);
}

/** The services published on a non-loopback address, per address key. */
function exposed(c: ClusterConfig): Map<'TEMPORAL_PUBLISH_ADDRESS' | 'TEMPORAL_STORE_PUBLISH_ADDRESS', string[]> {
  const out = new Map<'TEMPORAL_PUBLISH_ADDRESS' | 'TEMPORAL_STORE_PUBLISH_ADDRESS', string[]>();
  for (const p of publishedPorts(c)) {
    if (isLoopback(p.address)) continue;
    const list = out.get(p.addressKey) ?? [];
    // A port on another address than its service's other ports is named with its service (`server metrics`).
    const name = p.publishAddress ? `${p.service} ${p.name}` : p.service;
    if (!list.includes(name)) list.push(name);
    out.set(p.addressKey, list);
  }
  return out;
}

/** Errors: production exposure without TLS and UI authentication, a wildcard CORS origin in production. */
export function exposureProblems(c: ClusterConfig, origins: Origins): string[] {
  if (c.TEMPORAL_PROFILE !== 'production') return [];
  const errors: string[] = [];
  const secured = c.TEMPORAL_TLS !== 'off' && c.TEMPORAL_UI_AUTH !== 'none';
  if (exposed(c).has('TEMPORAL_PUBLISH_ADDRESS') && !secured) {
    errors.push(
      `TEMPORAL_PUBLISH_ADDRESS: ${c.TEMPORAL_PUBLISH_ADDRESS} would expose the frontend and the Web UI beyond this host with TEMPORAL_TLS=${c.TEMPORAL_TLS} and TEMPORAL_UI_AUTH=${c.TEMPORAL_UI_AUTH}, which the production profile refuses; set TEMPORAL_TLS=server or mtls and TEMPORAL_UI_AUTH=basic or oidc, or publish on 127.0.0.1${where(origins.TEMPORAL_PUBLISH_ADDRESS)}`,
    );
  }
  if (c.TEMPORAL_CORS_ORIGINS.includes('*')) {
    errors.push(
      `TEMPORAL_CORS_ORIGINS: * lets any web site call the Web UI's API, which the production profile refuses; list the origins users open the UI at, e.g. https://temporal.example.com${where(origins.TEMPORAL_CORS_ORIGINS)}`,
    );
  }
  return errors;
}

/** Warnings: anything published beyond loopback in development, and stores published on request in production. */
export function exposureWarnings(c: ClusterConfig, origins: Origins): string[] {
  // One line per address: in development the stores follow TEMPORAL_PUBLISH_ADDRESS.
  const byAddress = new Map<string, { keys: (keyof typeof origins)[]; services: string[] }>();
  // The frontend's address first: the one a person sets.
  const entries = [...exposed(c)].sort(([a], [b]) => a.localeCompare(b));
  for (const [key, services] of entries) {
    if (c.TEMPORAL_PROFILE === 'production' && key === 'TEMPORAL_PUBLISH_ADDRESS') continue; // TLS and auth are on
    const entry = byAddress.get(c[key]) ?? { keys: [], services: [] };
    entry.keys.push(key);
    entry.services.push(...services);
    byAddress.set(c[key], entry);
  }
  return [...byAddress].map(
    ([address, { keys, services }]) =>
      `${keys.join(', ')}: ${address} publishes ${services.join(', ')} beyond this host, to anyone who can reach it${c.TEMPORAL_PROFILE === 'development' ? ' (development has no TLS and default passwords)' : ''}; use 127.0.0.1 unless that is meant${where(origins[keys[0]!])}`,
  );
}
