// One status round: container states (Docker, by label) and protocol probes, in
// parallel, combined per service. Shared by `status`, `status --wait` and `start`.
import { probedServices, swarmTarget } from '../model/swarm-placement.js';
import type { ClusterConfig } from '../config/schema.js';
import { stackName } from '../model/names-and-endpoints.js';
import { clientEntry, enabledInstances, isOneShot } from '../model/service-facts.js';
import { rolesTopology } from '../model/server-roles.js';
import type { ServiceName } from '../model/services.js';
import { CtlError, reason } from '../errors.js';
import type { StackContainer } from '../docker/container-state.js';
import type { Probe, ProbeResult } from './probe.js';
import { probesFor, runProbes } from './run-probes.js';
import type { ProbeSession } from './session.js';
import type { NamespaceStatus } from './namespace-probe.js';
import type { RingStatus } from './ring-probe.js';

export interface ServiceStatus {
  service: ServiceName;
  /** The row's instance: the service's name, or `<service>-<n>` with replicas. */
  instance: string;
  /** null when the service has no container (probe-only mode, or it is missing). */
  container: StackContainer | null;
  /** The probe's result; absent for services without a network probe (schema, admin-tools). */
  probe?: ProbeResult;
  healthy: boolean;
  detail: string;
}

export interface StackStatus {
  stack: string;
  /** containers: the stack's containers were found; probe-only: none exist, the probes decide. */
  mode: 'containers' | 'probe-only';
  healthy: boolean;
  checkedAt: Date;
  elapsedMs: number;
  services: ServiceStatus[];
  /** E.g. "Docker engine is not reachable": shown on stderr, never fatal. */
  warnings: string[];
  /** Whether a worker can use TEMPORAL_NAMESPACE (counts for healthy); absent when not asked for. */
  namespace?: NamespaceStatus;
  /** TEMPORAL_TOPOLOGY=roles: the server's membership rings and shard owners (counts for healthy). */
  ring?: RingStatus;
}

export interface CollectOptions {
  env?: Record<string, string | undefined>;
  /** Per-probe timeout (defaults to TEMPORAL_PROBE_TIMEOUT). */
  timeoutMs?: number;
  /** Preloaded probes (the wait loop loads them once). */
  probes?: Probe[];
  /** Keeps probe connections between rounds (the wait loop owns and closes it). */
  session?: ProbeSession;
  /** Replaces the Docker listing (tests, callers that already listed); gets the listing's timeout. */
  listContainers?: (c: ClusterConfig, timeoutMs: number) => Promise<StackContainer[]>;
  /**
   * Check that a worker can use TEMPORAL_NAMESPACE once the server is healthy (./namespace-probe.ts).
   * @default true - start's health wait passes false: it ensures the namespaces afterwards
   */
  namespace?: boolean;
}

export async function collectStatus(config: ClusterConfig, options: CollectOptions = {}): Promise<StackStatus> {
  const timeoutMs = options.timeoutMs ?? config.TEMPORAL_PROBE_TIMEOUT;
  // Load every module before the clocks start: an import blocks the event loop and would inflate latencies.
  const [probes, list] = await Promise.all([options.probes ?? probesFor(probedServices(config)), lister(options)]);
  const started = performance.now();
  const checkedAt = new Date();
  const [probed, listed, lostNodes] = await Promise.all([
    runProbes(config, { probes, timeoutMs, session: options.session }),
    listContainers(config, list, timeoutMs),
    lostNodeWarnings(config, options, timeoutMs),
  ]);
  const combined = combine(config, probed, listed.containers);
  const { ring, services } = await ringOf(config, combined, listed.containers, timeoutMs, options);
  const namespace = await namespaceStatus(config, services, timeoutMs, options);
  return {
    stack: stackName(config),
    mode: listed.containers.length > 0 ? 'containers' : 'probe-only',
    healthy: services.every((s) => s.healthy) && (namespace?.usable ?? true) && (ring?.complete ?? true),
    checkedAt,
    elapsedMs: Math.round(performance.now() - started),
    services,
    warnings: [...(listed.warning ? [listed.warning] : []), ...lostNodes],
    ...(namespace ? { namespace } : {}),
    ...(ring ? { ring } : {}),
  };
}

/** With roles: the rings, read through the client address once it answers, and the role rows judged by them. */
async function ringOf(
  c: ClusterConfig,
  services: ServiceStatus[],
  containers: readonly StackContainer[],
  timeoutMs: number,
  options: CollectOptions,
): Promise<{ ring?: RingStatus; services: ServiceStatus[] }> {
  if (!rolesTopology(c)) return { services };
  const { checkRing, uncheckedRing, withRing } = await import('./ring-probe.js');
  const entry = services.find((s) => s.service === clientEntry(c));
  const ring = entry?.healthy ? await checkRing(c, containers, timeoutMs, options.session) : uncheckedRing();
  return { ring, services: withRing(services, ring) };
}

/** On a swarm: the nodes that are not ready (they do not fail the status by themselves: their tasks do). */
async function lostNodeWarnings(c: ClusterConfig, options: CollectOptions, timeoutMs: number): Promise<string[]> {
  if (!swarmTarget(c) || options.listContainers) return [];
  const { lostNodeWarnings: warnings } = await import('../docker/swarm-nodes.js');
  return warnings(options.env ?? process.env, timeoutMs).catch(() => []);
}

/** Asked only of a healthy server: otherwise its own row already says what is wrong. */
async function namespaceStatus(
  c: ClusterConfig,
  services: readonly ServiceStatus[],
  timeoutMs: number,
  options: CollectOptions,
): Promise<NamespaceStatus | undefined> {
  const server = services.find((s) => s.service === clientEntry(c));
  if (options.namespace === false || !server) return undefined;
  const { checkNamespace, uncheckedNamespace } = await import('./namespace-probe.js');
  return server.healthy ? checkNamespace(c, timeoutMs, options.session) : uncheckedNamespace(c);
}

type Lister = (c: ClusterConfig, timeoutMs: number) => Promise<StackContainer[]>;

async function lister(o: CollectOptions): Promise<Lister> {
  if (o.listContainers) return o.listContainers;
  const [{ listStackContainers }, { preloadDocker }] = await Promise.all([
    import('../docker/containers.js'),
    import('../docker/client.js'),
  ]);
  await preloadDocker();
  // status stays as quick as its probes: the engine gets the probe timeout (or less), not TEMPORAL_DOCKER_TIMEOUT.
  return (c, timeoutMs) =>
    timeoutMs < c.TEMPORAL_DOCKER_TIMEOUT
      ? listStackContainers(c, o.env ?? process.env, { ms: timeoutMs, key: 'TEMPORAL_PROBE_TIMEOUT' })
      : listStackContainers(c, o.env ?? process.env);
}

/** Docker trouble (unreachable, no answer in time) is a warning: the probes still tell whether the services answer. */
async function listContainers(
  c: ClusterConfig,
  list: Lister,
  timeoutMs: number,
): Promise<{ containers: StackContainer[]; warning?: string }> {
  try {
    return { containers: await list(c, timeoutMs) };
  } catch (error) {
    const text = error instanceof CtlError ? error.message : reason(error);
    return { containers: [], warning: `${text.replace(/[.]$/, '')}; container states are unknown, the probes decide` };
  }
}

function combine(
  c: ClusterConfig,
  probed: Map<ServiceName, ProbeResult>,
  containers: StackContainer[],
): ServiceStatus[] {
  const probeOnly = containers.length === 0;
  return enabledInstances(c).flatMap(({ service, name: instance }): ServiceStatus[] => {
    const probe = probed.get(service);
    const container = containers.find((x) => x.instance === instance) ?? null;
    if (!probe && probeOnly) return []; // judged by container state alone: nothing to judge without Docker
    const problem = container
      ? containerProblem(container)
      : !probe
        ? 'no container: run `temporal-ctl start`'
        : undefined;
    const healthy = problem === undefined && (probe?.healthy ?? true);
    const detail = [problem, probe?.detail ?? (container ? containerSummary(container) : undefined)]
      .filter(Boolean)
      .join('; ');
    return [{ service, instance, container, probe, healthy, detail }];
  });
}

/** Why a container does not count as up, or undefined when it does. */
export function containerProblem(x: StackContainer): string | undefined {
  if (isOneShot(x.service)) {
    if (x.state === 'exited' && x.exitCode === 0) return undefined;
    if (x.state === 'exited')
      return `${x.service} job failed with exit code ${x.exitCode}: see \`temporal-ctl logs ${x.service}\``;
    return `${x.service} job is ${x.state}`;
  }
  if (x.note && (x.state !== 'running' || x.health === 'unhealthy'))
    return `the task${x.node ? ` on ${x.node}` : ''} is not up: ${x.note}`;
  if (x.state === 'running' && x.health !== 'unhealthy') return undefined;
  if (x.state === 'running') return 'container is running but its Docker healthcheck says unhealthy';
  const restarts = x.restartCount > 0 ? `, restarted ${x.restartCount} times` : '';
  const code = x.exitCode !== undefined ? ` (exit code ${x.exitCode})` : '';
  return `container is ${x.state}${code}${restarts}: see \`temporal-ctl logs ${x.service}\``;
}

function containerSummary(x: StackContainer): string {
  if (isOneShot(x.service)) return `${x.service} job exited 0`;
  return x.node ? `task ${x.state} on ${x.node}` : `container ${x.state}`;
}
