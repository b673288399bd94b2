// The stack's swarm services as the rows the CLI keeps about containers (TEMPORAL_TARGET=swarm): one
// per task the swarm wants running, named by its slot (`history-2`), with the node it runs on. A
// manager sees every task of every node, but not the containers on other nodes, so the task is what
// counts. A task with a healthcheck turns running only once it is healthy (the swarm activates its
// DNS entry then), so running means healthy here.
import type Dockerode from 'dockerode';
import { LABELS } from '../model/names-and-endpoints.js';
import { instanceOf, resolveService, serviceDecl } from '../model/service-facts.js';
import type { ServiceName } from '../model/services.js';
import type { ContainerState, StackContainer } from './container-state.js';
import type { SwarmNode } from './swarm-nodes.js';

/** Docker's task states (swarmkit's TaskState) as the container states the CLI judges. */
const TASK_STATES: Readonly<Record<string, ContainerState>> = {
  new: 'created',
  pending: 'created',
  assigned: 'created',
  accepted: 'created',
  preparing: 'created',
  ready: 'created',
  starting: 'created',
  running: 'running',
  complete: 'exited',
  shutdown: 'exited',
  failed: 'exited',
  rejected: 'dead',
  remove: 'removing',
  orphaned: 'dead',
};

interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec: { ContainerSpec?: { Image?: string } };
  NetworksAttachments?: { Addresses?: string[] }[];
}

/** A row per task the swarm wants running, in the order of their services in the model. */
export async function listSwarmTasks(docker: Dockerode, filters: { label: string[] }): Promise<StackContainer[]> {
  const [services, nodes, tasks] = await Promise.all([
    docker.listServices({ filters }),
    docker.listNodes() as Promise<SwarmNode[]>,
    docker.listTasks({ filters: { 'desired-state': ['running'] } }) as Promise<SwarmTask[]>,
  ]);
  const serviceOf = new Map<string, { service: ServiceName; name: string }>();
  for (const s of services) {
    const service = resolveService(s.Spec?.Labels?.[LABELS.service] ?? '');
    if (service && s.ID) serviceOf.set(s.ID, { service, name: s.Spec?.Name ?? service });
  }
  const nodeOf = new Map(
    nodes.map((n) => [n.ID, { name: n.Description?.Hostname ?? n.ID, state: n.Status?.State ?? 'unknown' }]),
  );
  // During a start-first update a slot has two tasks: the running one counts until the new one runs.
  const bySlot = new Map<string, SwarmTask>();
  for (const t of tasks) {
    const owner = serviceOf.get(t.ServiceID);
    if (!owner) continue;
    const key = `${t.ServiceID}/${t.Slot ?? t.NodeID}`;
    const held = bySlot.get(key);
    if (!held || (t.Status.State === 'running' && held.Status.State !== 'running')) bySlot.set(key, t);
  }
  return [...bySlot.values()].map((t) => toRow(t, serviceOf.get(t.ServiceID)!, nodeOf));
}

function toRow(
  t: SwarmTask,
  owner: { service: ServiceName; name: string },
  nodeOf: ReadonlyMap<string, { readonly name: string; readonly state: string }>,
): StackContainer {
  const d = serviceDecl(owner.service);
  const instance = d.replicas
    ? instanceOf(owner.service, t.Slot ?? 1)
    : { service: owner.service, name: owner.service, resourceId: d.resourceId };
  const state = TASK_STATES[t.Status.State] ?? 'created';
  const node = t.NodeID ? nodeOf.get(t.NodeID) : undefined;
  // The manager keeps a lost node's tasks as they were until it gives up on the node.
  const nodeLost = node !== undefined && node.state !== 'ready';
  const note = nodeLost
    ? `node ${node.name} is ${node.state}: the swarm starts its tasks on the ready nodes`
    : t.Status.Err;
  const health = nodeLost
    ? 'unhealthy'
    : state === 'running'
      ? 'healthy'
      : state === 'created'
        ? 'starting'
        : undefined;
  return {
    service: owner.service,
    instance: instance.name,
    resourceId: d.resourceId,
    addresses: (t.NetworksAttachments ?? []).flatMap((a) => (a.Addresses ?? []).map((x) => x.replace(/\/\d+$/, ''))),
    id: t.Status.ContainerStatus?.ContainerID ?? t.ID,
    name: `${owner.name}.${t.Slot ?? t.NodeID}`,
    image: t.Spec.ContainerSpec?.Image ?? '',
    imageId: '',
    state,
    ...(health ? { health } : {}),
    ...(t.Status.ContainerStatus?.ExitCode !== undefined && state === 'exited'
      ? { exitCode: t.Status.ContainerStatus.ExitCode }
      : {}),
    restartCount: 0,
    ...(t.NodeID ? { node: node?.name ?? t.NodeID } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * The stack's tasks that failed or were rejected since `sinceMs` (epoch ms), one sentence each with
 * the node and the swarm's reason: what a rolled-back update leaves to explain itself, since the
 * swarm runs the old tasks again and every row looks healthy.
 */
export async function recentTaskFailures(
  docker: Dockerode,
  filters: { label: string[] },
  sinceMs: number,
): Promise<string[]> {
  const [services, nodes, tasks] = await Promise.all([
    docker.listServices({ filters }),
    docker.listNodes() as Promise<SwarmNode[]>,
    docker.listTasks() as Promise<(SwarmTask & { Status: { Timestamp?: string } })[]>,
  ]);
  const nameOf = new Map(services.flatMap((s) => (s.ID ? [[s.ID, s.Spec?.Name ?? s.ID]] : [])));
  const nodeName = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  return tasks
    .filter(
      (t) =>
        nameOf.has(t.ServiceID) &&
        ['failed', 'rejected'].includes(t.Status.State) &&
        Date.parse(t.Status.Timestamp ?? '') >= sinceMs,
    )
    .map(
      (t) =>
        `${nameOf.get(t.ServiceID)}.${t.Slot ?? ''} on ${nodeName.get(t.NodeID ?? '') ?? 'no node'}: task ${t.Status.State}: ${t.Status.Err ?? 'no reason given'}${t.Status.ContainerStatus?.ExitCode !== undefined ? ` (exit code ${t.Status.ContainerStatus.ExitCode})` : ''}`,
    );
}
