// Lists derived from the service model for one config: what runs, with which images, ports, memory
// and volumes, and where clients reach it. Nothing here names a service.
import { externalPostgres } from './postgres-layout.js';
import { swarmTarget } from '../config/profile.js';
import type { ClusterConfig } from '../config/schema.js';
import {
  SERVICE_MODEL,
  type PortDecl,
  type PublishAddressKey,
  type ServiceDecl,
  type ServiceName,
} from './services.js';

/** Every service, in start order (the model's order). */
export const SERVICES = Object.keys(SERVICE_MODEL) as readonly ServiceName[];

export const serviceDecl = (s: ServiceName): ServiceDecl<ServiceName> => SERVICE_MODEL[s];

/** The services the config runs, in start order. */
export function enabledServices(c: ClusterConfig): ServiceName[] {
  return SERVICES.filter((s) => serviceDecl(s).enabled?.(c) ?? true);
}

/** A Temporal server process: the one server, or an instance of one of its roles (a member of the ring). */
export const runsServer = (s: ServiceName): boolean => serviceDecl(s).image === 'TEMPORAL_SERVER_IMAGE';

export const isOneShot = (s: ServiceName): boolean => serviceDecl(s).kind === 'one-shot';

/**
 * One container of a service: the service itself (one container, named as the service) or, for a
 * service with replicas, `<service>-<n>` from 1. The instance's name is the container name's suffix,
 * the `io.temporal-ctl.instance` label, a status row and what `logs`, `restart` and `stop` take.
 */
export interface Instance {
  readonly service: ServiceName;
  readonly name: string;
  /** 1-based position among the service's instances; undefined for a service without replicas. */
  readonly ordinal?: number;
  /** Fixed Terraform id of its container (`docker_container.<id>`). */
  readonly resourceId: string;
}

/** The service's instances under this config (one for a service without replicas). */
export function instancesOf(c: ClusterConfig, service: ServiceName): Instance[] {
  const d = serviceDecl(service);
  if (!d.replicas) return [{ service, name: service, resourceId: d.resourceId }];
  return Array.from({ length: d.replicas(c) }, (_, i) => instanceOf(service, i + 1));
}

/** Instance `n` of a service with replicas. */
export const instanceOf = (service: ServiceName, n: number): Instance => ({
  service,
  name: `${service}-${n}`,
  ordinal: n,
  resourceId: `${serviceDecl(service).resourceId}_${n}`,
});

/** Every container the config runs, in start order. */
export const enabledInstances = (c: ClusterConfig): Instance[] => enabledServices(c).flatMap((s) => instancesOf(c, s));

/** The instance a name stands for (`history-2`, or a service's name for one without replicas), any count. */
export function parseInstance(name: string): Instance | undefined {
  const service = resolveService(name);
  if (service)
    return serviceDecl(service).replicas
      ? undefined
      : { service, name: service, resourceId: serviceDecl(service).resourceId };
  const m = /^(.+)-(\d+)$/.exec(name);
  const base = m ? resolveService(m[1]!) : undefined;
  return base && serviceDecl(base).replicas && Number(m![2]) >= 1 ? instanceOf(base, Number(m![2])) : undefined;
}

/** The instance whose container has Terraform id `resourceId`, for any replica count. */
export function instanceOfResource(resourceId: string): Instance | undefined {
  for (const service of SERVICES) {
    const d = serviceDecl(service);
    if (!d.replicas && d.resourceId === resourceId) return { service, name: service, resourceId };
    const m = d.replicas ? new RegExp(`^${d.resourceId}_(\\d+)$`).exec(resourceId) : null;
    if (m) return instanceOf(service, Number(m[1]));
  }
  return undefined;
}

/** Names users may type for a service, mapped to the canonical one. */
export const SERVICE_ALIASES: Readonly<Record<string, ServiceName>> = Object.fromEntries(
  SERVICES.flatMap((s) => serviceDecl(s).aliases.map((alias) => [alias, s])),
);

export function resolveService(name: string): ServiceName | undefined {
  return (SERVICES as readonly string[]).includes(name) ? (name as ServiceName) : SERVICE_ALIASES[name];
}

/** The enabled services a service waits for. */
export const startsAfter = (c: ClusterConfig, s: ServiceName): ServiceName[] =>
  serviceDecl(s).after.filter((dep) => enabledServices(c).includes(dep));

/** The image each service runs. */
export const imageFor = (c: ClusterConfig, s: ServiceName): string => c[serviceDecl(s).image];

/** Distinct images the config needs (for images list/save/load and the stack's docker_image resources). */
export function requiredImages(c: ClusterConfig): string[] {
  // With an external PostgreSQL its image still brings psql, pg_dump and pg_restore for the data
  // paths; on a swarm the docker CLI removes the volumes on each node (down --volumes).
  const tools = [
    ...(externalPostgres(c) ? [imageFor(c, 'postgresql')] : []),
    ...(swarmTarget(c) ? [c.TEMPORAL_DOCKER_CLI_IMAGE] : []),
  ];
  return [...new Set([...enabledServices(c).map((s) => imageFor(c, s)), ...tools])];
}

export interface PublishedPort extends PortDecl {
  readonly service: ServiceName;
  /** The host port (the value of `key`). */
  readonly host: number;
  /** The config key of the host address it is bound to, and its value. */
  readonly addressKey: PublishAddressKey;
  readonly address: string;
}

/**
 * Host ports the enabled services publish. On a swarm only the ones clients use (on
 * TEMPORAL_PUBLISH_ADDRESS's side): a swarm publishes on every address of a node, and the stores'
 * and metrics ports stay on its overlay network.
 */
export function publishedPorts(c: ClusterConfig): PublishedPort[] {
  return enabledServices(c).flatMap((service) =>
    serviceDecl(service)
      .ports.filter((p) => p.published?.(c) ?? true)
      .map((p) => {
        const addressKey = p.publishAddress ?? serviceDecl(service).publishAddress ?? 'TEMPORAL_PUBLISH_ADDRESS';
        return { ...p, service, host: c[p.key], addressKey, address: c[addressKey] };
      })
      .filter((p) => c.TEMPORAL_TARGET !== 'swarm' || p.addressKey === 'TEMPORAL_PUBLISH_ADDRESS'),
  );
}

function portDecl(s: ServiceName, name: string): PortDecl {
  const port = serviceDecl(s).ports.find((p) => p.name === name);
  if (!port) throw new Error(`service ${s} declares no port named ${name}`);
  return port;
}

/** A service's port inside its container, e.g. containerPort('server', 'grpc') = 7233. */
export const containerPort = (s: ServiceName, name: string): number => portDecl(s, name).container;

/** Where clients on the host reach a service's port (the port's url). */
export function endpointUrl(c: ClusterConfig, s: ServiceName, name: string): string {
  const p = portDecl(s, name);
  if (!p.endpoint) throw new Error(`port ${name} of ${s} declares no endpoint`);
  return p.endpoint.url(c.TEMPORAL_ENDPOINT_HOST, c[p.key], c);
}

/** Every endpoint `start` prints: label and url, by rank. */
export function printedEndpoints(c: ClusterConfig): { service: ServiceName; label: string; url: string }[] {
  return publishedPorts(c)
    .flatMap((p) =>
      p.endpoint
        ? [
            {
              service: p.service,
              rank: p.endpoint.rank,
              label: p.endpoint.label,
              url: p.endpoint.url(c.TEMPORAL_ENDPOINT_HOST, p.host, c),
            },
          ]
        : [],
    )
    .sort((a, b) => a.rank - b.rank)
    .map(({ rank: _rank, ...e }) => e);
}

/** The service clients reach on TEMPORAL_GRPC_PORT: the server, or the frontends' balancer with roles. */
export function clientEntry(c: ClusterConfig): ServiceName | undefined {
  return publishedPorts(c).find((p) => p.key === 'TEMPORAL_GRPC_PORT')?.service;
}

/** Whether the host reaches the server's metrics endpoint (not with roles: each instance serves its own on the network). */
export const serverMetricsPublished = (c: ClusterConfig): boolean =>
  publishedPorts(c).some((p) => p.key === 'TEMPORAL_METRICS_PORT');

/** Memory the long-running services may take together, in MiB, with the keys that set it. */
export function memoryBudget(c: ClusterConfig): {
  mib: number;
  parts: { service: ServiceName; key: string; mib: number }[];
} {
  // A one-shot job runs before the services that come after it: it does not add to the peak.
  const parts = enabledServices(c)
    .filter((s) => !isOneShot(s))
    .map((service) => {
      const d = serviceDecl(service);
      return { service, key: d.memoryKey, mib: d.memoryMiB(c) * instancesOf(c, service).length };
    });
  return { mib: parts.reduce((sum, p) => sum + p.mib, 0), parts };
}

export interface ServiceVolume {
  readonly service: ServiceName;
  /** The Docker name, `<project>-<suffix>`. */
  readonly name: string;
  /** Where it is mounted in the service's container. */
  readonly target: string;
  /** Fixed Terraform id (`docker_volume.<id>`). */
  readonly resourceId: string;
}

/** The named volumes of the enabled services. */
export function volumes(c: ClusterConfig): ServiceVolume[] {
  return enabledServices(c).flatMap((service) => serviceVolume(c, service) ?? []);
}

/**
 * Volumes of switched-off services (e.g. Elasticsearch after TEMPORAL_VISIBILITY=postgres) that the
 * Terraform state still holds, given the state's docker_volume ids. The stack keeps declaring them:
 * prevent_destroy guards only what is declared, so dropping them would let the switch delete the data.
 */
export function retainedVolumes(c: ClusterConfig, heldResourceIds: readonly string[]): ServiceVolume[] {
  const enabled = enabledServices(c);
  return SERVICES.filter((s) => !enabled.includes(s))
    .flatMap((s) => serviceVolume(c, s) ?? [])
    .filter((v) => heldResourceIds.includes(v.resourceId));
}

/** A service's volume (enabled or not) with its name and mount target for this config. */
export function serviceVolume(c: ClusterConfig, service: ServiceName): ServiceVolume | undefined {
  const v = serviceDecl(service).volume;
  const target = typeof v?.target === 'function' ? v.target(c) : v?.target;
  return v && { service, name: volumeName(c, service)!, target: target!, resourceId: v.resourceId };
}

/** The Docker name of a service's volume (`<project>-<suffix>`), enabled or not. */
export function volumeName(c: ClusterConfig, s: ServiceName): string | undefined {
  const v = serviceDecl(s).volume;
  return v && `${c.TEMPORAL_PROJECT}-${v.suffix}`;
}

/** Every volume name the project may own, enabled or not (so `down --volumes` finds an old one). */
export const allVolumeNames = (c: ClusterConfig): string[] => SERVICES.flatMap((s) => volumeName(c, s) ?? []);

/** `docker_container.<id>`: the Terraform address of an instance's container. */
export const containerAddress = (i: Pick<Instance, 'resourceId'>): string => `docker_container.${i.resourceId}`;
/** The Terraform addresses of every container of a service under this config. */
export const containerAddresses = (c: ClusterConfig, s: ServiceName): string[] =>
  instancesOf(c, s).map(containerAddress);
