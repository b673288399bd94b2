// The container every service construct builds on. It takes the service's name once and derives
// from the service model (src/model/services.ts) what follows from it: the container name and
// labels, the container side of each published port, the restart policy and one-shot handling by
// kind, the Terraform logical id, the volume's mount target.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import {
  Container,
  type ContainerHealthcheck,
  type ContainerPorts,
} from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import type { Service } from '@cdktf/provider-docker/lib/service/index.js';
import { containerName, type ProjectScope } from '../../src/model/names-and-endpoints.js';
import { serviceDecl, type Instance } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { envList, labelBlocks } from './common.js';
import { type SwarmPlacement, swarmService } from './swarm-service.js';

/**
 * Healthchecks run this often. Short, because the deploy waits for each container's first passing
 * check before it creates the next one (postgres, then the schema job, the server, the UI): at 10s
 * the intervals alone were about 33 s of a 41 s start. Docker 25+ has start_interval for a fast
 * check only while starting; Docker 20.10 (API 1.41) does not read it back, which would be a change
 * in every plan, so one short interval for both. The checks are cheap (pg_isready, one HTTP or gRPC
 * request). Written in Go's duration format, as the engine reads it back.
 */
export const HEALTH_INTERVAL_SECONDS = 1;
const HEALTH_INTERVAL = `${HEALTH_INTERVAL_SECONDS}s`;
/** ...and a check that hangs this long counts as failed (a frozen service, not a slow answer). */
const HEALTH_TIMEOUT = '5s';
/**
 * memory_swap (memory + swap) equals the memory limit: no swap, so a container at its limit is
 * stopped by the OOM killer instead of slowing the host down by paging. Docker fills memory_swap in
 * (twice the memory when left out) and the kreuzwerker/docker provider reads it back (Optional, not
 * Computed), so it must be stated anyway or every plan after an apply shows a change. (An engine
 * without swap limit support reads back -1 whatever is sent.)
 */
const MEMORY_SWAP_FACTOR = 1;
/** No process gains privileges through setuid binaries or file capabilities (`--security-opt`). */
export const SECURITY_OPTS = ['no-new-privileges:true'] as const;
/** Every capability is dropped; a service adds back what its image's start needs (the model's `capabilities`). */
export const DROP_ALL_CAPABILITIES = 'ALL';
/** Docker's default driver, rotated: without max-size, json-file grows until the disk is full. */
export const LOG_DRIVER = 'json-file';
/** Long-running services come back after a crash or a host reboot, not after `docker stop`. */
const LONG_RUNNING_RESTART = 'unless-stopped';

/** Props every service construct takes; TemporalCluster derives them from the config and the model once. */
export interface ServiceProps {
  /** Image to run (a docker_image's id). */
  readonly image: string;
  /** The network the container joins. */
  readonly network: Network;
  /** Project and profile: the container is `<project>-<service>`, labelled with project, stack and service. */
  readonly project: ProjectScope;
  /** Memory limit in MiB. */
  readonly memoryLimitMiB: number;
  /** Where to publish the service's ports on the host. @default - nothing published */
  readonly publish?: PublishProps;
  /** Which of the service's containers this is (`history-2`). @default - the service's one container */
  readonly instance?: Instance;
  /** The service's named volume (a docker_volume's name, or a plain name on a swarm) and where it is mounted. @default - no volume */
  readonly volume?: { readonly name: string; readonly target: string };
  /** Containers or services that must be healthy (a one-shot: finished) before this one is created. @default - none */
  readonly dependsOn?: readonly (Container | Service)[];
  /** When the json-file log is rotated and how many files are kept. */
  readonly logRotation: LogRotation;
  /** A swarm service placed over the swarm's nodes instead of a container. @default - a container on the Docker host */
  readonly swarm?: SwarmPlacement;
}

export interface LogRotation {
  /** json-file's max-size, e.g. `10m` (CONTAINER_LOG_MAX_SIZE). */
  readonly maxSize: string;
  /** json-file's max-file (CONTAINER_LOG_MAX_FILES). */
  readonly maxFiles: number;
}

/** A file written into the container at creation. */
export interface Upload {
  readonly path: string;
  readonly content: string;
  /** A private key: never shown in a plan (host), a swarm secret rather than a config (swarm). @default false */
  readonly sensitive?: boolean;
}

export interface PublishProps {
  /** Host address the ports are bound to (TEMPORAL_PUBLISH_ADDRESS), unless `portAddresses` names another. */
  readonly address: string;
  /** Host port per port name of the service's model entry, e.g. `{ grpc: 7233, http: 7243 }`. */
  readonly ports: Readonly<Record<string, number>>;
  /**
   * Another host address for some ports, by port name (the server's unauthenticated metrics port on
   * TEMPORAL_STORE_PUBLISH_ADDRESS). @default - none: every port on `address`
   */
  readonly portAddresses?: Readonly<Record<string, string>>;
}

export interface HealthCheck {
  /** Shell command run in the container; exit 0 means healthy. */
  readonly command: string;
  /** First-start work (initdb, JVM, membership) during which failures do not count, e.g. `30s`. */
  readonly startPeriod: string;
  /** Seconds of failing checks, after the start period, that make the container unhealthy. */
  readonly unhealthyAfterSeconds: number;
  /**
   * Seconds a deploy waits for healthy (the provider's wait_timeout). The provider does not stop
   * early on unhealthy, so this is the deploy's worst case for the service.
   */
  readonly deployWaitSeconds: number;
}

export interface ServiceContainerProps extends ServiceProps {
  /** The service in the model; everything service-specific above derives from it. */
  readonly service: ServiceName;
  /** Other names the container answers to on the network (a role's shared name, resolved to every instance). @default - none */
  readonly networkAliases?: readonly string[];
  /**
   * Seconds a stop (and terraform's removal) waits after SIGTERM before it kills: the time the process
   * gets to hand its work over (a Temporal role drains its shards). @default - Docker's 10
   */
  readonly stopGraceSeconds?: number;
  /** Environment variables, in this order. @default - none */
  readonly environment?: Readonly<Record<string, string | number>>;
  /** Command instead of the image's. @default - the image's */
  readonly command?: readonly string[];
  /** Files written into the container before it starts (content is kept literally, as every string: see LiteralStrings). @default - none */
  readonly uploads?: readonly Upload[];
  /** A CMD-SHELL healthcheck the deploy waits for. @default - none, and the deploy does not wait */
  readonly healthCheck?: HealthCheck;
  /**
   * The environment matters only at the first start on an empty volume (PostgreSQL's initdb): a
   * later change neither needs nor gets a new container (terraform's ignore_changes on `env`).
   * @default false - a changed environment replaces the container
   */
  readonly environmentAtInitOnly?: boolean;
}

export class ServiceContainer extends Construct {
  /** The container, or with `swarm` the swarm service, that others depend on. */
  readonly resource: Container | Service;

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    const decl = serviceDecl(props.service);
    const instance = props.instance ?? { service: props.service, name: props.service, resourceId: decl.resourceId };
    const name = containerName(props.project, instance.name as ServiceName);
    const health = props.healthCheck;
    const labels = labelBlocks(props.project, props.service, props.swarm ? undefined : instance.name);
    const capabilities = {
      drop: [DROP_ALL_CAPABILITIES],
      ...(decl.capabilities.length ? { add: [...decl.capabilities] } : {}),
    };
    if (props.swarm) {
      this.resource = swarmService(
        this,
        { ...props, swarm: props.swarm },
        {
          name,
          image: props.image,
          environment: props.environment && envList(props.environment),
          health,
          healthTest: health && healthTiming(health),
          labels,
          capabilities,
          logRotation: props.logRotation,
        },
      );
      this.resource.overrideLogicalId(decl.resourceId);
      return;
    }
    this.resource = new Container(this, 'container', {
      name,
      image: props.image,
      command: props.command && [...props.command],
      env: props.environment && envList(props.environment),
      ports: props.publish && publishedPorts(props.service, props.publish),
      upload: props.uploads?.map((u) => ({ file: u.path, content: kept(u) })),
      mounts: props.volume && [{ type: 'volume', source: props.volume.name, target: props.volume.target }],
      networksAdvanced: [
        { name: props.network.name, ...(props.networkAliases?.length ? { aliases: [...props.networkAliases] } : {}) },
      ],
      healthcheck: health && shellHealthcheck(health),
      memory: props.memoryLimitMiB,
      memorySwap: props.memoryLimitMiB * MEMORY_SWAP_FACTOR,
      securityOpts: [...SECURITY_OPTS],
      capabilities,
      logDriver: LOG_DRIVER,
      logOpts: { 'max-size': props.logRotation.maxSize, 'max-file': String(props.logRotation.maxFiles) },
      restart: decl.kind === 'one-shot' ? 'no' : LONG_RUNNING_RESTART,
      labels,
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      ...(health ? { wait: true, waitTimeout: health.deployWaitSeconds } : {}),
      ...(props.stopGraceSeconds
        ? { stopTimeout: props.stopGraceSeconds, destroyGraceSeconds: props.stopGraceSeconds }
        : {}),
      ...(decl.kind === 'one-shot' ? oneShot(props.service, name) : {}),
      ...(props.environmentAtInitOnly ? { lifecycle: { ignoreChanges: ['env'] } } : {}),
    });
    this.resource.overrideLogicalId(instance.resourceId);
  }
}

/**
 * An upload's content as the container gets it: a private key through Terraform's sensitive(), so a
 * plan and `--verbose` show "(sensitive value)" instead of the key.
 */
const kept = (u: Upload): string => (u.sensitive ? (Fn.sensitive(u.content) as string) : u.content);

/**
 * How a one-shot runs to completion (attributes of the bindings' 3.6.2 schema; the tests run them
 * on 4.6.0): `attach` makes the provider wait for the container to stop; `must_run = false` lets a
 * stopped container count as created; the provider
 * records `exit_code` but does not fail on a non-zero one, so the postcondition turns a non-zero
 * exit into a failed apply, and whatever depends on the one-shot is never created after a failure.
 */
function oneShot(service: ServiceName, name: string) {
  return {
    attach: true,
    mustRun: false,
    lifecycle: {
      postcondition: [
        {
          condition: '${self.exit_code == 0}',
          errorMessage: `The ${service} job failed (non-zero exit code). Read its output with \`docker logs ${name}\`, fix the cause, then deploy again.`,
        },
      ],
    },
  };
}

/** Host ports bound to their publish addresses, in the model's port order. */
function publishedPorts(service: ServiceName, publish: PublishProps): ContainerPorts[] {
  const declared = serviceDecl(service).ports;
  const unknown = Object.keys(publish.ports).filter((n) => !declared.some((p) => p.name === n));
  if (unknown.length > 0) throw new Error(`service ${service} declares no port named ${unknown.join(', ')}`);
  return declared
    .filter((p) => publish.ports[p.name] !== undefined)
    .map((p) => ({
      internal: p.container,
      external: publish.ports[p.name]!,
      ip: publish.portAddresses?.[p.name] ?? publish.address,
      protocol: 'tcp',
    }));
}

function shellHealthcheck(h: HealthCheck): ContainerHealthcheck {
  return { test: ['CMD-SHELL', h.command], startPeriod: h.startPeriod, ...healthTiming(h) };
}

/** The interval, the timeout, and as many consecutive failures as fit in unhealthyAfterSeconds at the interval. */
function healthTiming(h: HealthCheck): { interval: string; timeout: string; retries: number } {
  return {
    interval: HEALTH_INTERVAL,
    timeout: HEALTH_TIMEOUT,
    retries: Math.max(1, Math.round(h.unhealthyAfterSeconds / HEALTH_INTERVAL_SECONDS)),
  };
}
