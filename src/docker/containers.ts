// Containers and volumes of the stack, found by the labels the stack sets (never by guessing names).
import type Dockerode from 'dockerode';
import { LABELS, stackName } from '../model/names-and-endpoints.js';
import {
  allVolumeNames,
  instancesOf,
  isOneShot,
  parseInstance,
  resolveService,
  SERVICES,
} from '../model/service-facts.js';
import type { ServiceName } from '../model/services.js';
import type { ClusterConfig } from '../config/schema.js';
import { OperationError, UsageError } from '../errors.js';
import { apiMessage, withDocker, withStackDocker, dockerDeadline, type Env } from './client.js';
import type { Deadline } from './deadline.js';
import type { ContainerState, StackContainer } from './container-state.js';
import { envListMap } from './env-list.js';
import { listSwarmTasks } from './swarm-tasks.js';
import { swarmTarget } from '../model/swarm-placement.js';
import {
  awaitStopped,
  awaitUpdated,
  forceUpdate,
  listStackServices,
  scaleServices,
  type StackService,
} from './swarm-services.js';

/** Docker's label filter for the project + stack (both must match). */
export function stackFilter(c: ClusterConfig): { label: string[] } {
  return { label: [`${LABELS.project}=${c.TEMPORAL_PROJECT}`, `${LABELS.stack}=${stackName(c)}`] };
}

/** Every container of the stack (running or not), in the stack's start order. */
export async function listStackContainers(
  c: ClusterConfig,
  env: Env = process.env,
  deadline: Deadline = dockerDeadline(c),
): Promise<StackContainer[]> {
  return withDocker(env, (docker) => listWith(docker, c), deadline);
}

export async function listWith(docker: Dockerode, c: ClusterConfig): Promise<StackContainer[]> {
  if (swarmTarget(c)) {
    // The one-shot jobs are containers on the manager; every other service is tasks on the nodes
    // (whose containers on the manager carry the same labels, so only the jobs are taken from there).
    const [jobs, tasks] = await Promise.all([
      listContainersWith(docker, c, isOneShot),
      listSwarmTasks(docker, stackFilter(c)),
    ]);
    return sortedRows([...jobs, ...tasks]);
  }
  return sortedRows(await listContainersWith(docker, c));
}

/** In the stack's start order, instances by number. */
function sortedRows(rows: StackContainer[]): StackContainer[] {
  return rows.sort(
    (a, b) =>
      SERVICES.indexOf(a.service) - SERVICES.indexOf(b.service) ||
      a.instance.localeCompare(b.instance, 'en', { numeric: true }),
  );
}

/** The stack's containers of the services `wanted` keeps (judged by the listing's labels, before any inspect). */
async function listContainersWith(
  docker: Dockerode,
  c: ClusterConfig,
  wanted: (s: ServiceName) => boolean = () => true,
): Promise<StackContainer[]> {
  const found = (await docker.listContainers({ all: true, filters: stackFilter(c) })).filter((info) => {
    const service = resolveService(info.Labels?.[LABELS.service] ?? '');
    return service !== undefined && wanted(service);
  });
  const inspected = await Promise.all(
    found.map((info) =>
      docker
        .getContainer(info.Id)
        .inspect()
        .catch(() => undefined),
    ),
  );
  const result: StackContainer[] = [];
  for (const info of inspected) {
    const labels = info?.Config.Labels ?? {};
    const service = resolveService(labels[LABELS.service] ?? '');
    const instance = parseInstance(labels[LABELS.instance] ?? service ?? '');
    if (info && service && instance?.service === service) result.push(toStackContainer(info, instance));
  }
  return result;
}

function toStackContainer(
  info: Dockerode.ContainerInspectInfo,
  instance: { service: ServiceName; name: string; resourceId: string },
): StackContainer {
  const health = info.State.Health?.Status;
  return {
    service: instance.service,
    instance: instance.name,
    resourceId: instance.resourceId,
    addresses: Object.values(info.NetworkSettings?.Networks ?? {}).flatMap((n) => (n.IPAddress ? [n.IPAddress] : [])),
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    state: info.State.Status as ContainerState,
    health: health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : undefined,
    exitCode: info.State.Status === 'exited' || info.State.Status === 'restarting' ? info.State.ExitCode : undefined,
    restartCount: info.RestartCount,
    pidsLimit: info.HostConfig.PidsLimit ?? undefined,
  };
}

/** A running container of the stack's service with the environment it was created with; undefined when not running. */
export async function runningContainer(
  docker: Dockerode,
  c: ClusterConfig,
  service: ServiceName,
): Promise<{ id: string; name: string; env: ReadonlyMap<string, string> } | undefined> {
  const found = (await listWith(docker, c)).find((s) => s.service === service && s.state === 'running');
  if (!found) return undefined;
  const env = envListMap((await docker.getContainer(found.id).inspect()).Config.Env ?? []);
  return { id: found.id, name: found.name, env };
}

/** A one-shot job is done when it exited 0; everything else must be running. */
export function isUp(s: StackContainer): boolean {
  if (isOneShot(s.service)) return s.state === 'exited' && s.exitCode === 0;
  return s.state === 'running' && s.health !== 'unhealthy' && s.health !== 'starting';
}

/** Containers of the given services or instances (all when empty); unknown names are the caller's job. */
function pick(all: StackContainer[], names: readonly string[]): StackContainer[] {
  return names.length === 0 ? all : all.filter((s) => names.includes(s.service) || names.includes(s.instance));
}

/** Stops the stack's running containers, last-started first; volumes are untouched. Returns the names stopped. */
export async function stopStack(
  c: ClusterConfig,
  env: Env = process.env,
  services: readonly string[] = [],
): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    if (swarmTarget(c)) {
      const chosen = (await swarmServices(docker, c, services)).reverse();
      const stopped = await scaleServices(docker, chosen, () => 0);
      await awaitStopped(docker, chosen);
      return stopped;
    }
    const running = pick(await listWith(docker, c), services).filter(
      (s) => s.state === 'running' || s.state === 'restarting',
    );
    const stopped: string[] = [];
    for (const s of running.reverse()) {
      await docker
        .getContainer(s.id)
        .stop({ t: 30 })
        .catch(ignoreStatus(304, `stop ${s.name}`));
      stopped.push(s.name);
    }
    return stopped;
  });
}

/** Starts stopped containers in start order (skipping finished one-shot jobs). Returns the names started. */
export async function startStack(
  c: ClusterConfig,
  env: Env = process.env,
  services: readonly string[] = [],
): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    if (swarmTarget(c))
      return scaleServices(docker, await swarmServices(docker, c, services), (s) =>
        s.replicas === 0 ? instancesOf(c, s.service).length : s.replicas,
      );
    const idle = pick(await listWith(docker, c), services).filter(
      (s) => (s.state === 'exited' || s.state === 'created') && !(isOneShot(s.service) && s.exitCode === 0),
    );
    for (const s of idle)
      await docker
        .getContainer(s.id)
        .start()
        .catch(ignoreStatus(304, `start ${s.name}`));
    return idle.map((s) => s.name);
  });
}

/** Restarts the given services' containers (all long-running ones when empty; a one-shot job only when named). Returns the names restarted. */
export async function restartServices(
  c: ClusterConfig,
  services: readonly string[],
  env: Env = process.env,
): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    if (swarmTarget(c)) {
      // Rolled one task at a time under each service's update settings, as the swarm replaces them.
      const chosen = (await swarmServices(docker, c, services)).filter((s) => s.replicas > 0);
      const rolls = [];
      for (const s of chosen) rolls.push(await forceUpdate(docker, s));
      await awaitUpdated(docker, rolls);
      if (chosen.length) return chosen.map((s) => s.name);
    }
    const targets = pick(await listWith(docker, c), services).filter(
      (s) => !isOneShot(s.service) || services.includes(s.service) || services.includes(s.instance),
    );
    if (targets.length === 0) {
      throw new OperationError(
        `no container of ${services.length ? services.join(', ') : 'the stack'} exists in stack ${stackName(c)}: run \`temporal-ctl start\` first`,
      );
    }
    for (const s of targets)
      await docker
        .getContainer(s.id)
        .restart({ t: 30 })
        .catch(ignoreStatus(0, `restart ${s.name}`));
    return targets.map((s) => s.name);
  });
}

/**
 * The stack's swarm services named (all when none), in start order. A swarm places a service's tasks
 * itself, so one instance (`history-2`) cannot be stopped or restarted on its own.
 */
async function swarmServices(docker: Dockerode, c: ClusterConfig, names: readonly string[]): Promise<StackService[]> {
  const instances = names.filter((n) => resolveService(n) === undefined);
  if (instances.length)
    throw new UsageError(
      `${instances.join(', ')}: on a swarm, name whole services (${[...new Set(instances.map((n) => parseInstance(n)?.service ?? n))].join(', ')}), not single instances; the swarm places a service's tasks itself`,
    );
  const wanted = names.map(resolveService);
  return (await listStackServices(docker, stackFilter(c)))
    .filter((s) => names.length === 0 || wanted.includes(s.service))
    .sort((a, b) => SERVICES.indexOf(a.service) - SERVICES.indexOf(b.service));
}

export interface StackVolume {
  name: string;
  /** Bytes used, when Docker could tell cheaply (docker system df). */
  sizeBytes?: number;
}

/** Volumes of the stack: those carrying its labels plus the derived names that exist unlabelled. */
export async function listStackVolumes(
  c: ClusterConfig,
  env: Env = process.env,
  withSizes = false,
): Promise<StackVolume[]> {
  return withStackDocker(c, env, async (docker) => {
    const labelled = (await docker.listVolumes({ filters: stackFilter(c) })).Volumes ?? [];
    const names = new Set(labelled.map((v) => v.Name));
    // A derived name counts unless another stack labelled it: another profile of the project has
    // the same names (src/docker/profiles.ts), and its data is not ours to list or delete.
    for (const name of allVolumeNames(c)) {
      const stack = await docker
        .getVolume(name)
        .inspect()
        .then(
          (v) => v.Labels?.[LABELS.stack] ?? '',
          () => undefined,
        );
      if (stack === '' || stack === stackName(c)) names.add(name);
    }
    const sizes = withSizes ? await volumeSizes(docker) : new Map<string, number>();
    return [...names].sort().map((name) => ({ name, sizeBytes: sizes.get(name) }));
  });
}

async function volumeSizes(docker: Dockerode): Promise<Map<string, number>> {
  try {
    const df = (await docker.df()) as { Volumes?: { Name: string; UsageData?: { Size?: number } }[] };
    return new Map(
      (df.Volumes ?? []).filter((v) => (v.UsageData?.Size ?? -1) >= 0).map((v) => [v.Name, v.UsageData!.Size!]),
    );
  } catch {
    return new Map(); // sizes are a courtesy; never fail a command over them
  }
}

/** Deletes the stack's volumes (down --volumes, after confirmation). Returns the names removed. */
export async function removeVolumes(c: ClusterConfig, env: Env = process.env): Promise<string[]> {
  const volumes = await listStackVolumes(c, env);
  return withStackDocker(c, env, async (docker) => {
    for (const v of volumes) {
      await docker
        .getVolume(v.name)
        .remove()
        .catch((error: unknown) => {
          throw new OperationError(
            `could not remove volume ${v.name}: ${apiMessage(error)}; stop the containers using it (\`temporal-ctl down\`) and retry`,
            {
              cause: error,
            },
          );
        });
    }
    return volumes.map((v) => v.name);
  });
}

/** A catch handler that accepts one HTTP status (e.g. 304 "already stopped") and explains the rest. */
function ignoreStatus(status: number, what: string) {
  return (error: unknown) => {
    const code = (error as { statusCode?: number }).statusCode;
    if (code === status) return;
    // A swarm network the swarm has just removed is still listed by the manager for a moment, and
    // removing it then fails with a 500 that says it is not found: gone as well.
    if (status === 404 && /\bnot found\b/i.test(apiMessage(error))) return;
    if (code === undefined) throw error; // connection trouble: withDocker turns it into one sentence
    throw new OperationError(`docker could not ${what}: ${apiMessage(error)}`, { cause: error });
  };
}

/** After terraform destroy: containers and networks still carrying the stack's labels (lost state, crashed runs). Never volumes. */
export async function removeStackLeftovers(c: ClusterConfig, env: Env = process.env): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    const removed: string[] = [];
    if (swarmTarget(c))
      for (const svc of await docker.listServices({ filters: stackFilter(c) })) {
        await docker
          .getService(svc.ID)
          .remove()
          .catch(ignoreStatus(404, `remove service ${svc.Spec?.Name}`));
        removed.push(svc.Spec?.Name ?? svc.ID);
      }
    for (const s of await listWith(docker, c)) {
      await docker
        .getContainer(s.id)
        .remove({ force: true, v: false })
        .catch(ignoreStatus(404, `remove ${s.name}`));
      removed.push(s.name);
    }
    for (const n of await docker.listNetworks({ filters: stackFilter(c) })) {
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(ignoreStatus(404, `remove network ${n.Name}`));
      removed.push(n.Name);
    }
    return removed;
  });
}

/**
 * Removes the stack's containers, then networks, whose engine ids are not in `keep`; returns their
 * names. Never volumes. A network still used by a container of another stack (a user's worker) stays.
 */
export async function removeStackResourcesExcept(
  c: ClusterConfig,
  keep: ReadonlySet<string>,
  env: Env,
): Promise<string[]> {
  return withDocker(env, async (docker) => {
    const removed: string[] = [];
    for (const s of await listWith(docker, c)) {
      if (keep.has(s.id)) continue;
      await docker.getContainer(s.id).remove({ force: true, v: false });
      removed.push(s.name);
    }
    for (const n of await docker.listNetworks({ filters: stackFilter(c) })) {
      if (keep.has(n.Id)) continue;
      const gone = await docker
        .getNetwork(n.Id)
        .remove()
        .then(() => true)
        .catch(() => false);
      if (gone) removed.push(n.Name);
    }
    return removed;
  });
}
