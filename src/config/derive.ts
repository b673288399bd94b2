// Everything computable from the config: names, labels, ports, endpoints.
// The stack, the CLI and the probes all take these from here, never spell them out.
import { resolve } from 'node:path';
import type { ClusterConfig } from './schema.js';
import { PROJECT_ROOT } from './load.js';

/** Every service of the stack, in start order. */
export const SERVICES = ['postgresql', 'elasticsearch', 'schema', 'server', 'ui', 'admin-tools'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Long-running services (the schema job runs once and exits). */
export const LONG_RUNNING: readonly ServiceName[] = ['postgresql', 'elasticsearch', 'server', 'ui', 'admin-tools'];
/** Names users may type for a service (the reference compose file's names). */
export const SERVICE_ALIASES: Record<string, ServiceName> = {
  postgres: 'postgresql', 'temporal-postgresql': 'postgresql', es: 'elasticsearch', 'temporal-elasticsearch': 'elasticsearch',
  temporal: 'server', 'temporal-ui': 'ui', web: 'ui', 'temporal-admin-tools': 'admin-tools', 'temporal-cli': 'admin-tools',
  'schema-setup': 'schema',
};

/** Docker labels on every container, network and volume of the stack. */
export const LABELS = {
  project: 'io.temporal-ctl.project',
  stack: 'io.temporal-ctl.stack',
  service: 'io.temporal-ctl.service',
} as const;

/** Ports inside the containers (the images' contracts), not configurable. */
export const CONTAINER_PORTS = {
  grpc: 7233,
  http: 7243,
  ui: 8080,
  postgres: 5432,
  elasticsearch: 9200,
} as const;

export function enabledServices(c: ClusterConfig): ServiceName[] {
  return SERVICES.filter((s) => s !== 'elasticsearch' || c.TEMPORAL_VISIBILITY === 'elasticsearch');
}

export function resolveService(name: string): ServiceName | undefined {
  return (SERVICES as readonly string[]).includes(name) ? (name as ServiceName) : SERVICE_ALIASES[name];
}

export const stackName = (c: ClusterConfig): string => `${c.TEMPORAL_PROJECT}-${c.TEMPORAL_PROFILE}`;
export const containerName = (c: ClusterConfig, s: ServiceName): string => `${c.TEMPORAL_PROJECT}-${s}`;
export const networkName = (c: ClusterConfig): string => `${c.TEMPORAL_PROJECT}-network`;
export const volumeNames = (c: ClusterConfig) => ({
  postgresql: `${c.TEMPORAL_PROJECT}-postgres-data`,
  elasticsearch: `${c.TEMPORAL_PROJECT}-elasticsearch-data`,
});

export function labelsFor(c: ClusterConfig, service?: ServiceName): Record<string, string> {
  return {
    [LABELS.project]: c.TEMPORAL_PROJECT,
    [LABELS.stack]: stackName(c),
    ...(service ? { [LABELS.service]: service } : {}),
  };
}

/** The image each service runs. */
export function imageFor(c: ClusterConfig, s: ServiceName): string {
  switch (s) {
    case 'postgresql': return c.POSTGRES_IMAGE;
    case 'elasticsearch': return c.ELASTICSEARCH_IMAGE;
    case 'server': return c.TEMPORAL_SERVER_IMAGE;
    case 'ui': return c.TEMPORAL_UI_IMAGE;
    case 'schema':
    case 'admin-tools': return c.TEMPORAL_ADMINTOOLS_IMAGE;
  }
}

/** Distinct images the config needs (for images list/save/load). */
export function requiredImages(c: ClusterConfig): string[] {
  return [...new Set(enabledServices(c).map((s) => imageFor(c, s)))];
}

/** Host ports published for each service: [service, hostPort, containerPort, purpose]. */
export function publishedPorts(c: ClusterConfig): { service: ServiceName; host: number; container: number; purpose: string }[] {
  const ports = [
    { service: 'server' as const, host: c.TEMPORAL_GRPC_PORT, container: CONTAINER_PORTS.grpc, purpose: 'gRPC frontend' },
    { service: 'server' as const, host: c.TEMPORAL_HTTP_PORT, container: CONTAINER_PORTS.http, purpose: 'HTTP frontend' },
    { service: 'ui' as const, host: c.TEMPORAL_UI_PORT, container: CONTAINER_PORTS.ui, purpose: 'Web UI' },
    { service: 'postgresql' as const, host: c.POSTGRES_PORT, container: CONTAINER_PORTS.postgres, purpose: 'PostgreSQL' },
    { service: 'elasticsearch' as const, host: c.ELASTICSEARCH_PORT, container: CONTAINER_PORTS.elasticsearch, purpose: 'Elasticsearch' },
  ];
  const enabled = enabledServices(c);
  return ports.filter((p) => enabled.includes(p.service));
}

/** Where clients on the host reach each service. */
export function endpoints(c: ClusterConfig) {
  const host = c.TEMPORAL_ENDPOINT_HOST;
  return {
    grpc: c.TEMPORAL_ADDRESS,
    http: `http://${host}:${c.TEMPORAL_HTTP_PORT}`,
    ui: `http://${host}:${c.TEMPORAL_UI_PORT}`,
    postgres: { host, port: c.POSTGRES_PORT, user: c.POSTGRES_USER, database: c.TEMPORAL_DB },
    /** A DSN without the password, safe to print. */
    postgresDsn: `postgresql://${c.POSTGRES_USER}@${host}:${c.POSTGRES_PORT}/${c.TEMPORAL_DB}`,
    elasticsearch: `http://${host}:${c.ELASTICSEARCH_PORT}`,
  };
}

/** The dynamic config file on this machine (its content is uploaded into the server container). */
export const dynamicConfigPath = (c: ClusterConfig): string => resolve(PROJECT_ROOT, 'temporal-config', c.TEMPORAL_DYNAMIC_CONFIG);
/** Where the server reads it inside the container. */
export const DYNAMIC_CONFIG_CONTAINER_PATH = '/etc/temporal/config/dynamicconfig/dynamic-config.yaml';
