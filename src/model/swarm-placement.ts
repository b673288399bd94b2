// Where each service runs with TEMPORAL_TARGET=swarm: how many tasks, on which nodes, which ports.
// The stores keep their data in volumes on the node that runs them, so they stay on the nodes
// labelled for stores; what clients reach (the balancer, the UI) publishes its ports on the node
// that runs it (host mode), on the nodes labelled as edge; every other service goes anywhere.
import type { ClusterConfig } from '../config/schema.js';
import { enabledServices, instancesOf, publishedPorts, serviceDecl, serviceVolume } from './service-facts.js';
import { secretValues } from './swarm-secrets.js';
import type { ServiceName } from './services.js';

import { swarmTarget } from '../config/profile.js';

export { swarmTarget };

/** The node labels (`docker node update --label-add LABEL=true NODE`) placement looks for. */
export const NODE_LABELS = {
  /** Runs PostgreSQL, Elasticsearch, Prometheus and Grafana, and holds their volumes. */
  stores: 'io.temporal-ctl.stores',
  /** Publishes the client ports (the frontends' balancer, the server, the Web UI or its proxy). */
  edge: 'io.temporal-ctl.edge',
} as const;
export type NodeRole = keyof typeof NODE_LABELS;

const constraint = (role: NodeRole): string => `node.labels.${NODE_LABELS[role]}==true`;

/** The node label a service needs, if any. */
export function nodeRoleOf(c: ClusterConfig, service: ServiceName): NodeRole | undefined {
  if (serviceVolume(c, service)) return 'stores';
  if (publishedPorts(c).some((p) => p.service === service)) return 'edge';
  return undefined;
}

export interface ServicePlacement {
  readonly replicas: number;
  readonly constraints: readonly string[];
  /**
   * How the provider release names a service's network: 4.x by `id` (it reads a `name` back as a
   * change that replaces the service), 3.x by `name`.
   */
  readonly networkKey: 'id' | 'name';
  /** Values whose variables go into swarm secrets instead of the environment (src/model/swarm-secrets.ts). */
  readonly secretValues: ReadonlySet<string>;
  /** The image's own command, run after the secret variables are exported. @default - none */
  readonly imageCommand?: readonly string[];
  /** The image reads `<VAR>_FILE` itself: no export before its command. @default false */
  readonly secretFileVariables?: boolean;
}

/** A service's tasks and node constraints on the swarm. */
export function swarmPlacement(c: ClusterConfig, service: ServiceName): ServicePlacement {
  const role = nodeRoleOf(c, service);
  const providerMajor = Number(c.TEMPORAL_DOCKER_PROVIDER_VERSION.split('.')[0]);
  return {
    replicas: instancesOf(c, service).length,
    constraints: role ? [constraint(role)] : [],
    networkKey: providerMajor >= 4 ? 'id' : 'name',
    secretValues: secretValues(c),
    ...(serviceDecl(service).imageCommand ? { imageCommand: serviceDecl(service).imageCommand } : {}),
    ...(serviceDecl(service).secretFileVariables ? { secretFileVariables: true } : {}),
  };
}

/**
 * The services whose protocol probe can reach them from where temporal-ctl runs: all of them on one
 * host; on a swarm the ones that publish (the others are judged by their tasks' state).
 */
export function probedServices(c: ClusterConfig): ServiceName[] {
  if (!swarmTarget(c)) return enabledServices(c);
  const published = new Set(publishedPorts(c).map((p) => p.service));
  return enabledServices(c).filter((s) => published.has(s));
}
