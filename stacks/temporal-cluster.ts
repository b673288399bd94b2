// The TemporalCluster construct: a self-hosted Temporal cluster on one Docker host, composed of
// one small construct per concern. It maps the config to the constructs' props once: the props every
// service shares here, each service's own in stacks/service-constructs.ts. The constructs take no config.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Construct } from 'constructs';
import { dynamicConfigPath } from '../src/model/names-and-endpoints.js';
import { PROJECT_ROOT } from '../src/installed-package.js';
import type { ClusterConfig } from '../src/config/schema.js';
import { ConfigError } from '../src/errors.js';
import type { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Service } from '@cdktf/provider-docker/lib/service/index.js';
import type { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import {
  enabledServices,
  imageFor,
  instancesOf,
  publishedPorts,
  requiredImages,
  retainedVolumes,
  serviceDecl,
  serviceVolume,
  startsAfter,
  volumes,
  type ServiceVolume,
} from '../src/model/service-facts.js';
import type { ServiceName } from '../src/model/services.js';
import { swarmPlacement, swarmTarget } from '../src/model/swarm-placement.js';
import { Images } from './constructs/image-resources.js';
import { NetworkAndVolumes } from './constructs/network-and-volumes.js';
import type { PublishProps, ServiceProps } from './constructs/service-container.js';
import { SERVICE_CONSTRUCTS } from './service-constructs.js';

/** The schema job's script, maintained and tested with the test environment. */
export const SCHEMA_SCRIPT_PATH = resolve(PROJECT_ROOT, 'temporal-config', 'schema-setup.sh');

export interface TemporalClusterProps {
  /** The validated cluster config (loadConfig / parseConfig). */
  readonly config: ClusterConfig;
  /** Dynamic config content. @default - the file temporal-config/<TEMPORAL_DYNAMIC_CONFIG> */
  readonly dynamicConfigContent?: string;
  /** Schema job script content. @default - the file temporal-config/schema-setup.sh */
  readonly schemaScriptContent?: string;
  /**
   * Terraform ids of the docker_volume resources the state already holds. A held volume of a
   * service that is switched off stays declared, with prevent_destroy, so the switch keeps its data
   * and switching back finds it. @default - none
   */
  readonly heldVolumeIds?: readonly string[];
  /**
   * The htpasswd line the state's basic-auth proxy holds: kept while it matches TEMPORAL_UI_USER and
   * TEMPORAL_UI_PASSWORD, so an unchanged password does not replace the proxy. @default - a new hash
   */
  readonly heldUiHtpasswd?: string;
}

export class TemporalCluster extends Construct {
  /** Each enabled service's containers (one per instance), or its swarm service, by service. */
  readonly resources: Partial<Record<ServiceName, (Container | Service)[]>> = {};
  /** Volumes declared only because the state holds them (their service is switched off). */
  readonly retainedVolumes: readonly ServiceVolume[];

  constructor(scope: Construct, id: string, props: TemporalClusterProps) {
    super(scope, id);
    const c = props.config;
    const project = { TEMPORAL_PROJECT: c.TEMPORAL_PROJECT, TEMPORAL_PROFILE: c.TEMPORAL_PROFILE };
    const swarm = swarmTarget(c);
    // On a swarm the manager pulls every image too: its digest is what the services run.
    const images = new Images(this, 'images', { references: requiredImages(c) });
    this.retainedVolumes = swarm ? [] : retainedVolumes(c, props.heldVolumeIds ?? []);
    // On a swarm a volume is created on the node that runs its task, by the task's mount.
    const base = new NetworkAndVolumes(this, 'base', {
      project,
      volumes: swarm ? [] : [...volumes(c), ...this.retainedVolumes],
      ...(swarm ? { overlay: { encrypted: c.TEMPORAL_SWARM_ENCRYPT === 'true' } } : {}),
    });
    const files = {
      schemaScript: () =>
        props.schemaScriptContent ??
        readRequired(
          SCHEMA_SCRIPT_PATH,
          'temporal-config/schema-setup.sh',
          'the schema job script is missing; restore it with `git checkout -- temporal-config/schema-setup.sh`',
        ),
      dynamicConfig: () =>
        props.dynamicConfigContent ??
        readRequired(
          dynamicConfigPath(c),
          'TEMPORAL_DYNAMIC_CONFIG',
          `the dynamic config file temporal-config/${c.TEMPORAL_DYNAMIC_CONFIG} does not exist; create it or set TEMPORAL_DYNAMIC_CONFIG to a file in temporal-config/`,
        ),
      configFile: (source: string) =>
        readRequired(
          resolve(PROJECT_ROOT, 'temporal-config', source),
          'TEMPORAL_METRICS',
          `temporal-config/${source} is missing; restore it with \`git checkout -- temporal-config/${source}\``,
        ),
    };
    const held = { uiHtpasswd: props.heldUiHtpasswd };
    // Start order is the model's order, so every service's `after` resources exist already.
    for (const service of enabledServices(c)) {
      const asSwarmService = swarm && serviceDecl(service).kind === 'long-running';
      const units = asSwarmService ? [undefined] : instancesOf(c, service);
      this.resources[service] = units.map((instance) => {
        const common: ServiceProps = {
          image: asSwarmService ? images.repoDigestFor(imageFor(c, service)) : images.idFor(imageFor(c, service)),
          network: base.network,
          project,
          ...(instance && instance.name !== service ? { instance } : {}),
          memoryLimitMiB: serviceDecl(service).memoryMiB(c),
          publish: publishFor(c, service),
          volume: mountFor(c, service, swarm ? undefined : base.volumes[service]),
          dependsOn: startsAfter(c, service).flatMap((dep) => this.resources[dep]!),
          logRotation: { maxSize: c.CONTAINER_LOG_MAX_SIZE, maxFiles: c.CONTAINER_LOG_MAX_FILES },
          ...(asSwarmService ? { swarm: swarmPlacement(c, service) } : {}),
        };
        const id = instance?.name ?? service;
        return SERVICE_CONSTRUCTS[service](this, id, { config: c, common, files, held }).resource;
      });
    }
  }
}

/**
 * The service's volume and its mount target for this config (PostgreSQL's moved in 18): the
 * volume resource's name on a host (the container then depends on it), the plain name on a swarm.
 */
function mountFor(c: ClusterConfig, service: ServiceName, resource: Volume | undefined): ServiceProps['volume'] {
  const volume = serviceVolume(c, service);
  if (!volume) return undefined;
  if (swarmTarget(c)) return { name: volume.name, target: volume.target };
  return resource ? { name: resource.name, target: volume.target } : undefined;
}

/**
 * The service's host ports by port name, on the service's publish address, and the ports the model
 * puts on another (the server's metrics port); undefined when it publishes none.
 */
function publishFor(c: ClusterConfig, service: ServiceName): PublishProps | undefined {
  const ports = publishedPorts(c).filter((p) => p.service === service);
  const first = ports.find((p) => !p.publishAddress) ?? ports[0];
  if (!first) return undefined;
  const elsewhere = ports.filter((p) => p.address !== first.address);
  return {
    address: first.address,
    ports: Object.fromEntries(ports.map((p) => [p.name, p.host])),
    ...(elsewhere.length > 0 ? { portAddresses: Object.fromEntries(elsewhere.map((p) => [p.name, p.address])) } : {}),
  };
}

/** A file the stack needs at synth time; a missing one is a config problem (exit 2), not a crash. */
function readRequired(path: string, key: string, message: string): string {
  if (!existsSync(path)) throw new ConfigError([`${key}: ${message}`], path);
  return readFileSync(path, 'utf8');
}
