// A service of the model as a swarm service (TEMPORAL_TARGET=swarm), from the same props as a
// container: the swarm places its tasks over the nodes, restarts them and rolls updates one task at a
// time. What a container gets by upload, a task gets as a swarm config (or a secret, for private
// keys), named by its content so that a change creates a new one and rolls the service onto it.
// Clients find tasks through Docker's DNS (endpoint mode dnsrr: the service name resolves to every
// task), never through a virtual IP or the routing mesh, which need IPVS in the node's kernel.
import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { Config as SwarmConfig } from '@cdktf/provider-docker/lib/config/index.js';
import { Secret } from '@cdktf/provider-docker/lib/secret/index.js';
import { Service, type ServiceEndpointSpecPorts } from '@cdktf/provider-docker/lib/service/index.js';
import type { ServiceName } from '../../src/model/services.js';
import { serviceDecl } from '../../src/model/service-facts.js';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { ENV_FROM_SECRETS, secretEnvPath, splitSecretEnvironment } from '../../src/model/swarm-secrets.js';
import type { HealthCheck, PublishProps, ServiceContainerProps, Upload } from './service-container.js';

/** How a service's tasks are placed on the swarm (TemporalCluster derives it from the model). */
export interface SwarmPlacement {
  /** Tasks the swarm keeps running (the model's instance count). */
  readonly replicas: number;
  /** Node constraints, e.g. `node.labels.io.temporal-ctl.stores==true`. @default - any node */
  readonly constraints?: readonly string[];
  /** The attribute naming the network: `id` for provider 4.x, `name` for 3.x. @default 'name' */
  readonly networkKey?: 'id' | 'name';
  /** Values whose variables become swarm secrets instead of environment. @default - none */
  readonly secretValues?: ReadonlySet<string>;
  /** The image's own command: what runs once the secret variables are exported. @default - none */
  readonly imageCommand?: readonly string[];
  /** The image reads `<VAR>_FILE` itself: the variable names the file, nothing is exported. @default false */
  readonly secretFileVariables?: boolean;
}

/**
 * A new task, once healthy (its healthcheck gates it), must keep running this long before the next
 * one is replaced; a task that fails within it rolls the update back. Ten seconds catch a task that
 * crashes after it started; 30 made a rolling update of every role (upgrade, rotate-password) cost
 * about two minutes more.
 */
const UPDATE_MONITOR = '10s';
/** Swarm's restart back-off after a task exits (a crash loop then costs little). */
const RESTART_DELAY = '5s';

/** The parts of a container's props the swarm service takes, resolved by ServiceContainer. */
export interface SwarmServiceParts {
  readonly name: string;
  readonly image: string;
  readonly environment?: readonly string[];
  readonly health?: HealthCheck;
  readonly healthTest?: { readonly interval: string; readonly timeout: string; readonly retries: number };
  readonly labels: readonly { readonly label: string; readonly value: string }[];
  readonly capabilities: { readonly drop: readonly string[]; readonly add?: readonly string[] };
  readonly logRotation: { readonly maxSize: string; readonly maxFiles: number };
}

export function swarmService(
  scope: Construct,
  props: ServiceContainerProps & { readonly swarm: SwarmPlacement },
  parts: SwarmServiceParts,
): Service {
  const env = Object.fromEntries((parts.environment ?? []).map(splitAssignment));
  const { plain, secret } = splitSecretEnvironment(env, props.swarm.secretValues ?? new Set());
  const secretVariables = Object.entries(secret).map(([variable, value]) =>
    swarmFile(
      scope,
      parts.name,
      { path: secretEnvPath(variable), content: value, sensitive: true },
      parts.labels,
      // Read at the first start only (initdb): the secret keeps that value, as the container's env does on one host.
      props.environmentAtInitOnly,
    ),
  );
  const files = [
    ...(props.uploads ?? []).map((u) => swarmFile(scope, parts.name, u, parts.labels)),
    ...secretVariables,
  ];
  const viaFiles = props.swarm.secretFileVariables === true;
  const command =
    secretVariables.length && !viaFiles
      ? ['sh', '-c', ENV_FROM_SECRETS, 'sh', ...commandFor(props, parts.name)]
      : props.command;
  const fileVariables = viaFiles
    ? Object.fromEntries(Object.keys(secret).map((variable) => [`${variable}_FILE`, secretEnvPath(variable)]))
    : {};
  const health = parts.health;
  const ports = props.publish ? hostModePorts(props.service, props.publish) : [];
  const aliases = props.networkAliases?.filter((a) => a !== parts.name) ?? [];
  const service = new Service(scope, 'service', {
    name: parts.name,
    labels: [...parts.labels],
    mode: { replicated: { replicas: props.swarm.replicas } },
    taskSpec: {
      containerSpec: {
        image: parts.image,
        // Each task under a name of its own (logs, the ring's hosts): temporal-history-2.
        hostname: `${parts.name}-{{.Task.Slot}}`,
        ...(command ? { command: [...command] } : {}),
        ...(parts.environment ? { env: { ...plain, ...fileVariables } } : {}),
        labels: [...parts.labels],
        capDrop: [...parts.capabilities.drop],
        ...(parts.capabilities.add?.length ? { capAdd: [...parts.capabilities.add] } : {}),
        ...(props.volume
          ? {
              mounts: [
                {
                  type: 'volume',
                  source: props.volume.name,
                  target: props.volume.target,
                  volumeOptions: { driverName: 'local', labels: [...parts.labels] },
                },
              ],
            }
          : {}),
        configs: files
          .filter((f) => f.kind === 'config')
          .map((f) => ({ configId: f.id, configName: f.name, fileName: f.path })),
        secrets: files
          .filter((f) => f.kind === 'secret')
          .map((f) => ({ secretId: f.id, secretName: f.name, fileName: f.path })),
        ...(health && parts.healthTest
          ? {
              healthcheck: {
                test: ['CMD-SHELL', health.command],
                interval: short(parts.healthTest.interval),
                timeout: short(parts.healthTest.timeout),
                startPeriod: short(health.startPeriod),
                retries: parts.healthTest.retries,
              },
            }
          : {}),
        ...(props.stopGraceSeconds ? { stopGracePeriod: short(`${props.stopGraceSeconds}s`) } : {}),
      },
      // The service's own name already resolves to every task; other names are extra aliases.
      ...(props.swarm.networkKey === 'id'
        ? {}
        : { networksAdvanced: [{ name: props.network.id, ...(aliases.length ? { aliases } : {}) }] }),
      resources: { limits: { memoryBytes: props.memoryLimitMiB * 1024 * 1024 } },
      // The window as the swarm reads it back (no window: every restart counts).
      restartPolicy: { condition: 'any', delay: RESTART_DELAY, window: '0s' },
      logDriver: {
        name: 'json-file',
        options: { 'max-size': parts.logRotation.maxSize, 'max-file': String(parts.logRotation.maxFiles) },
      },
      ...(props.swarm.constraints?.length ? { placement: { constraints: [...props.swarm.constraints] } } : {}),
    },
    endpointSpec: { mode: 'dnsrr', ...(ports.length ? { ports } : {}) },
    // A service holding a volume or a host port cannot run two tasks side by side on one node.
    updateConfig: {
      parallelism: 1,
      order: props.volume || ports.length ? 'stop-first' : 'start-first',
      failureAction: 'rollback',
      monitor: UPDATE_MONITOR,
    },
    rollbackConfig: { parallelism: 1, order: props.volume || ports.length ? 'stop-first' : 'start-first' },
    // The apply waits until every task runs (a task with a healthcheck runs once it is healthy).
    ...(health
      ? { convergeConfig: { delay: '1s', timeout: `${health.deployWaitSeconds * Math.max(1, props.swarm.replicas)}s` } }
      : {}),
    dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
    // The swarm fills in the image's platforms where a placement is given; they are never declared
    // here. `restart` counts forced updates (src/docker/swarm-services.ts): not the stack's to undo.
    // An environment read only at initdb (environmentAtInitOnly) is not worth a restart of the store.
    lifecycle: {
      ignoreChanges: [
        'task_spec[0].placement[0].platforms',
        'task_spec[0].force_update',
        ...(props.environmentAtInitOnly ? ['task_spec[0].container_spec[0].env'] : []),
      ],
    },
  });
  if (props.swarm.networkKey === 'id')
    service.addOverride('task_spec.networks_advanced', [
      { id: props.network.id, ...(aliases.length ? { aliases } : {}) },
    ]);
  return service;
}

/** A duration as the provider reads a swarm's back (Go's, shortened: 60s is "1m"), so a plan finds no change. */
const short = (text: string): string => formatDuration(parseDuration(text) ?? 0);

/** `KEY=value` split at the first `=`. */
function splitAssignment(line: string): [string, string] {
  const at = line.indexOf('=');
  return [line.slice(0, at), line.slice(at + 1)];
}

/** The service's published ports on the node that runs a task (host mode: no routing mesh). */
function hostModePorts(service: ServiceName, publish: PublishProps): ServiceEndpointSpecPorts[] {
  return serviceDecl(service)
    .ports.filter((p) => publish.ports[p.name] !== undefined)
    .map((p) => ({
      targetPort: p.container,
      publishedPort: publish.ports[p.name]!,
      publishMode: 'host',
      protocol: 'tcp',
    }));
}

interface SwarmFile {
  readonly kind: 'config' | 'secret';
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/**
 * An upload as a swarm config or secret named `<service>-<file>-<digest>`: configs and secrets are
 * immutable, so new content is a new object, created before the old one goes (the service still
 * uses the old one until it is updated).
 */
function swarmFile(
  scope: Construct,
  service: string,
  upload: Upload,
  labels: readonly { readonly label: string; readonly value: string }[],
  initOnly = false,
): SwarmFile {
  const digest = createHash('sha256').update(upload.content).digest('hex').slice(0, 12);
  const stem = upload.path.replace(/^\/+/, '').replace(/[^A-Za-z0-9]+/g, '-');
  // Content read once (initOnly) keeps one name and its first data: a later value neither renames
  // nor replaces it, so the service using it is not restarted for nothing.
  const name = initOnly ? `${service}-${stem}`.slice(0, 63) : `${service}-${stem}`.slice(0, 50) + `-${digest}`;
  const id = `${upload.sensitive ? 'secret' : 'config'}_${stem.replace(/-/g, '_')}`;
  const data = Buffer.from(upload.content).toString('base64');
  const lifecycle = initOnly ? { ignoreChanges: ['data'] } : { createBeforeDestroy: true };
  if (upload.sensitive) {
    const secret = new Secret(scope, id, { name, data, labels: [...labels], lifecycle });
    return { kind: 'secret', id: secret.id, name, path: upload.path };
  }
  const config = new SwarmConfig(scope, id, { name, data, lifecycle });
  return { kind: 'config', id: config.id, name, path: upload.path };
}

/** What the task runs after the secret variables are exported: the service's command, else its image's. */
function commandFor(
  props: ServiceContainerProps & { readonly swarm: SwarmPlacement },
  name: string,
): readonly string[] {
  const command = props.command ?? props.swarm.imageCommand;
  if (!command)
    throw new Error(
      `${name}: a secret reaches this service's environment, but the service model names no imageCommand to run after it is exported`,
    );
  return command;
}
