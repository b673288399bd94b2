// The stack's swarm services changed in place through the manager (TEMPORAL_TARGET=swarm): scaled
// to zero and back for `stop` and `start`, and force-updated for `restart`, which the swarm then rolls
// one task at a time under the service's own update settings. A service's counts come from the
// config, so a stopped cluster starts with the counts it had. Terraform sees the replicas of a
// stopped service as a change that `start` applies; the force-update counter is not declared.
import type Dockerode from 'dockerode';
import { LABELS } from '../model/names-and-endpoints.js';
import { resolveService } from '../model/service-facts.js';
import type { ServiceName } from '../model/services.js';
import { sleep } from '../sleep.js';
import { envListMap } from './env-list.js';
import { OperationError } from '../errors.js';

/** How long `stop` waits for a scaled-down service's tasks to end (each gets its stop grace first). */
const STOPPED_WITHIN_MS = 90_000;

export interface StackService {
  readonly id: string;
  readonly name: string;
  readonly service: ServiceName;
  readonly replicas: number;
  readonly env: ReadonlyMap<string, string>;
  readonly image: string;
  /** The swarm secrets its tasks mount: the secret's name and the file it lands in. */
  readonly secrets: readonly { readonly name: string; readonly file: string }[];
}

/** The stack's swarm services, in no particular order. */
export async function listStackServices(docker: Dockerode, filters: { label: string[] }): Promise<StackService[]> {
  const found: StackService[] = [];
  for (const s of await docker.listServices({ filters })) {
    const service = resolveService(s.Spec?.Labels?.[LABELS.service] ?? '');
    if (!service || !s.ID) continue;
    const env = (
      s.Spec?.TaskTemplate as
        | {
            ContainerSpec?: {
              Env?: string[];
              Image?: string;
              Secrets?: { SecretName?: string; File?: { Name?: string } }[];
            };
          }
        | undefined
    )?.ContainerSpec;
    found.push({
      id: s.ID,
      name: s.Spec?.Name ?? service,
      service,
      replicas: s.Spec?.Mode?.Replicated?.Replicas ?? 0,
      env: envListMap(env?.Env ?? []),
      image: env?.Image ?? '',
      secrets: (env?.Secrets ?? []).map((x) => ({ name: x.SecretName ?? '', file: x.File?.Name ?? '' })),
    });
  }
  return found;
}

/** Sets each service's replicas to `replicasOf(service)`; returns the names whose count changed. */
export async function scaleServices(
  docker: Dockerode,
  services: readonly StackService[],
  replicasOf: (s: StackService) => number,
): Promise<string[]> {
  const changed: string[] = [];
  for (const s of services) {
    const replicas = replicasOf(s);
    if (replicas === s.replicas) continue;
    await updateSpec(docker, s.id, (spec) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } }));
    changed.push(s.name);
  }
  return changed;
}

/** Waits until no task of the services runs (their containers got SIGTERM and their stop grace). */
export async function awaitStopped(docker: Dockerode, services: readonly StackService[]): Promise<void> {
  const deadline = performance.now() + STOPPED_WITHIN_MS;
  const ids = services.map((s) => s.id);
  while (ids.length && performance.now() < deadline) {
    const tasks = (await docker.listTasks({ filters: { service: ids } })) as { Status?: { State?: string } }[];
    if (
      !tasks.some((t) => ['running', 'starting', 'preparing', 'assigned', 'accepted'].includes(t.Status?.State ?? ''))
    )
      return;
    await sleep(500);
  }
}

/**
 * A forced update: every task replaced, one at a time, under the service's update settings. Returns
 * when the previous update (if any) started, so awaitUpdated can tell this one's status from it.
 */
export async function forceUpdate(
  docker: Dockerode,
  service: StackService,
  options: { readonly stopFirst?: boolean } = {},
): Promise<RollStarted> {
  let before: string | undefined;
  let order: string | undefined;
  await updateSpec(docker, service.id, (spec, info) => {
    before = info.UpdateStatus?.StartedAt;
    const template = (spec.TaskTemplate ?? {}) as { ForceUpdate?: number };
    const update = (spec.UpdateConfig ?? {}) as { Order?: string };
    order = update.Order;
    return {
      ...spec,
      TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 },
      ...(options.stopFirst ? { UpdateConfig: { ...update, Order: 'stop-first' } } : {}),
    };
  });
  return { service, previousStart: before, ...(options.stopFirst && order ? { restoreOrder: order } : {}) };
}

export interface RollStarted {
  readonly service: StackService;
  readonly previousStart?: string;
  /** The update order the service declares, put back once the roll is done (a stop-first roll). */
  readonly restoreOrder?: string;
}

/** How long a rolling update may take per task (its start, health and the monitor window). */
const UPDATE_PER_TASK_MS = 120_000;

/**
 * Waits until the swarm has finished rolling the services (every task replaced); throws when it
 * rolled one back or paused it, naming the swarm's reason.
 */
export async function awaitUpdated(docker: Dockerode, rolls: readonly RollStarted[]): Promise<void> {
  for (const { service: s, previousStart, restoreOrder } of rolls) {
    const boundMs = UPDATE_PER_TASK_MS * Math.max(1, s.replicas);
    const deadline = performance.now() + boundMs;
    for (;;) {
      const status = ((await docker.getService(s.id).inspect()) as ServiceInfo).UpdateStatus;
      // The status of the update before ours still shows until the swarm starts ours.
      const ours = status !== undefined && status.StartedAt !== previousStart;
      const state = ours ? (status.State ?? 'updating') : 'pending';
      if (state === 'completed') {
        if (restoreOrder)
          await updateSpec(docker, s.id, (spec) => ({
            ...spec,
            UpdateConfig: { ...((spec.UpdateConfig ?? {}) as object), Order: restoreOrder },
          }));
        break;
      }
      if (state.startsWith('rollback') || state === 'paused')
        throw new OperationError(
          `the swarm did not finish updating ${s.name} (${state}): ${status?.Message ?? 'no reason given'}`,
          { hint: `\`docker service ps ${s.name}\` on the manager shows each task's error` },
        );
      if (performance.now() > deadline)
        throw new OperationError(`the swarm was still updating ${s.name} after ${Math.round(boundMs / 1000)}s`);
      await sleep(1000);
    }
  }
}

interface ServiceInfo {
  Version: { Index: number };
  Spec: Spec;
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

type Spec = Record<string, unknown> & { TaskTemplate?: unknown; Mode?: unknown; UpdateConfig?: unknown };

/** Reads the spec and its version, and writes the changed spec at that version (the swarm refuses a stale one). */
async function updateSpec(
  docker: Dockerode,
  id: string,
  change: (spec: Spec, info: ServiceInfo) => Spec,
): Promise<void> {
  const handle = docker.getService(id);
  const info = (await handle.inspect()) as ServiceInfo;
  await handle.update({ version: info.Version.Index, ...change(info.Spec, info) });
}
