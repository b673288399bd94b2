// The names and addresses computable from the config: Docker names and labels, where clients reach
// each service, the dynamic config file. The stack, the CLI and the probes all take these from here,
// never spell them out (the per-service lists are in ./service-facts.ts).
import { resolve } from 'node:path';
import type { ClusterConfig } from '../config/schema.js';
import { endpointUrl } from './service-facts.js';
import type { ServiceName } from './services.js';
import { PROJECT_ROOT } from '../installed-package.js';

/** Docker labels on every container, network and volume of the stack. */
export const LABELS = {
  project: 'io.temporal-ctl.project',
  stack: 'io.temporal-ctl.stack',
  service: 'io.temporal-ctl.service',
  /** The instance (`history-2`) on the containers of a service with replicas. */
  instance: 'io.temporal-ctl.instance',
} as const;

/** The two keys every Docker name and label derives from (a ClusterConfig is one). */
export type ProjectScope = Pick<ClusterConfig, 'TEMPORAL_PROJECT' | 'TEMPORAL_PROFILE'>;

export const stackName = (c: ProjectScope): string => `${c.TEMPORAL_PROJECT}-${c.TEMPORAL_PROFILE}`;
/** `<project>-<instance>`: the container of a service (`<project>-server`) or of one of its instances (`<project>-history-2`). */
export const containerName = (
  c: Pick<ClusterConfig, 'TEMPORAL_PROJECT'>,
  instance: ServiceName | `${ServiceName}-${number}`,
): string => `${c.TEMPORAL_PROJECT}-${instance}`;
export const networkName = (c: Pick<ClusterConfig, 'TEMPORAL_PROJECT'>): string => `${c.TEMPORAL_PROJECT}-network`;
export function labelsFor(c: ProjectScope, service?: ServiceName, instance?: string): Record<string, string> {
  return {
    [LABELS.project]: c.TEMPORAL_PROJECT,
    [LABELS.stack]: stackName(c),
    ...(service ? { [LABELS.service]: service } : {}),
    ...(service && instance && instance !== service ? { [LABELS.instance]: instance } : {}),
  };
}

/** Where clients on the host reach each service. */
export function endpoints(c: ClusterConfig) {
  return {
    grpc: endpointUrl(c, 'server', 'grpc'),
    http: endpointUrl(c, 'server', 'http'),
    ui: endpointUrl(c, 'ui', 'http'),
    /** The server's Prometheus endpoint (TEMPORAL_METRICS_PORT), always on. */
    metrics: endpointUrl(c, 'server', 'metrics'),
    postgres: { host: c.TEMPORAL_ENDPOINT_HOST, port: c.POSTGRES_PORT, user: c.POSTGRES_USER, database: c.TEMPORAL_DB },
    /** A DSN without the password, safe to print. */
    postgresDsn: endpointUrl(c, 'postgresql', 'postgres'),
    elasticsearch: endpointUrl(c, 'elasticsearch', 'http'),
  };
}

/** The dynamic config file on this machine (its content is uploaded into the server container). */
export const dynamicConfigPath = (c: ClusterConfig): string =>
  resolve(PROJECT_ROOT, 'temporal-config', c.TEMPORAL_DYNAMIC_CONFIG);
/** Where the server reads it inside the container. */
export const DYNAMIC_CONFIG_CONTAINER_PATH = '/etc/temporal/config/dynamicconfig/dynamic-config.yaml';
