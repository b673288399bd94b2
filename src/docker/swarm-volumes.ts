// `down --volumes` on a swarm. A store's volume lives on the node that ran its task, and the
// manager's API removes volumes on its own engine only; so a one-off global job runs the docker
// CLI (TEMPORAL_DOCKER_CLI_IMAGE, the official image's cli variant) on every node, with that
// node's engine socket, and removes there the volumes that carry the stack's labels. Each task
// prints what it removed; the manager gathers the job's log from every node.
import type Dockerode from 'dockerode';
import type { ClusterConfig } from '../config/schema.js';
import { LABELS, labelsFor, stackName } from '../model/names-and-endpoints.js';
import { sleep } from '../sleep.js';
import { demux } from './container-exec.js';
import { withStackDocker, type Env } from './client.js';
import { parseServiceLogLine } from './swarm-logs.js';
import type { SwarmNode } from './swarm-nodes.js';

/** How long the job may take: each volume may wait up to 30 s for its task's container to go. */
const DONE_WITHIN_MS = 180_000;
const ENGINE_SOCKET = '/var/run/docker.sock';
/** The stack's labelled volumes of this node, each removed once the removed tasks' containers let go of it. */
const REMOVE_SCRIPT = [
  'for v in $(docker volume ls -q --filter "label=$PROJECT_LABEL" --filter "label=$STACK_LABEL"); do',
  '  i=0',
  '  until out=$(docker volume rm "$v" 2>&1); do',
  '    i=$((i + 1)); if [ "$i" -ge 30 ]; then echo "kept $v: $out"; continue 2; fi; sleep 1',
  '  done',
  '  echo "removed $v"',
  'done',
].join('\n');

export interface SwarmVolumeRemoval {
  /** `volume (node)` of each removed volume. */
  readonly removed: readonly string[];
  /** What a node could not remove, one sentence each. */
  readonly kept: readonly string[];
  /** Nodes that were not ready, so their volumes (if any) stay. */
  readonly unreached: readonly string[];
}

/** Removes the stack's volumes on every ready node of the swarm. */
export function removeSwarmVolumes(c: ClusterConfig, env: Env): Promise<SwarmVolumeRemoval> {
  return withStackDocker(c, env, async (docker) => {
    const nodes = (await docker.listNodes()) as SwarmNode[];
    const ready = new Map(
      nodes.filter((n) => n.Status?.State === 'ready').map((n) => [n.ID, n.Description?.Hostname ?? n.ID]),
    );
    const unreached = nodes.filter((n) => !ready.has(n.ID)).map((n) => n.Description?.Hostname ?? n.ID);
    const job = await startJob(docker, c);
    try {
      await awaitTasks(docker, job, ready);
      return { ...(await readResults(docker, job, ready)), unreached };
    } finally {
      await docker
        .getService(job)
        .remove()
        .catch(() => undefined);
    }
  });
}

async function startJob(docker: Dockerode, c: ClusterConfig): Promise<string> {
  const labels = labelsFor(c);
  const name = `${stackName(c)}-remove-volumes`;
  // A job left by a killed run would hold the name.
  await docker
    .getService(name)
    .remove()
    .catch(() => undefined);
  const created = (await docker.createService({
    Name: name,
    Labels: labels,
    Mode: { GlobalJob: {} },
    TaskTemplate: {
      ContainerSpec: {
        Image: c.TEMPORAL_DOCKER_CLI_IMAGE,
        Command: ['sh', '-c', REMOVE_SCRIPT],
        Env: [
          `PROJECT_LABEL=${LABELS.project}=${labels[LABELS.project]}`,
          `STACK_LABEL=${LABELS.stack}=${labels[LABELS.stack]}`,
        ],
        Mounts: [{ Type: 'bind', Source: ENGINE_SOCKET, Target: ENGINE_SOCKET }],
      },
      RestartPolicy: { Condition: 'none' },
    },
  } as unknown as Dockerode.CreateServiceOptions)) as { id?: string; ID?: string };
  return created.id ?? created.ID ?? name;
}

interface JobTask {
  ID: string;
  NodeID?: string;
  Status?: { State?: string; Err?: string };
}

const FINISHED = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned']);

/** Until the task of every ready node has finished (a node that is not ready gets none that runs). */
async function awaitTasks(docker: Dockerode, job: string, ready: ReadonlyMap<string, string>): Promise<void> {
  const deadline = performance.now() + DONE_WITHIN_MS;
  while (performance.now() < deadline) {
    const tasks = (await docker.listTasks({ filters: { service: [job] } })) as JobTask[];
    const onReady = tasks.filter((t) => t.NodeID && ready.has(t.NodeID));
    if (onReady.length >= ready.size && onReady.every((t) => FINISHED.has(t.Status?.State ?? ''))) return;
    await sleep(1000);
  }
}

/** The job's log, line by line with its task's node: `removed NAME` or `kept NAME: why`. */
async function readResults(
  docker: Dockerode,
  job: string,
  ready: ReadonlyMap<string, string>,
): Promise<Omit<SwarmVolumeRemoval, 'unreached'>> {
  const tasks = (await docker.listTasks({ filters: { service: [job] } })) as JobTask[];
  const nodeOf = new Map(tasks.map((t) => [t.ID, ready.get(t.NodeID ?? '') ?? t.NodeID ?? '?']));
  const raw = (await docker
    .getService(job)
    .logs({ stdout: true, stderr: true, details: true, timestamps: true, follow: false })) as unknown as Buffer;
  const { stdout, stderr } = demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  const removed: string[] = [];
  const kept: string[] = [];
  for (const line of `${stdout}\n${stderr}`.split('\n').filter((l) => l.trim())) {
    const { taskId, text } = parseServiceLogLine(line);
    const node = nodeOf.get(taskId ?? '') ?? '?';
    const m = /^(removed|kept) ([^:\s]+)(?::\s*(.*))?$/.exec(text.trim());
    if (m?.[1] === 'removed') removed.push(`${m[2]} (${node})`);
    else if (m?.[1] === 'kept') kept.push(`${m[2]} on ${node}: ${m[3] ?? 'not removed'}`);
    else if (text.trim()) kept.push(`${node}: ${text.trim()}`);
  }
  // A task that failed without a word (no such image on the node, say) says so through its error.
  for (const t of tasks)
    if (t.Status?.State !== 'complete' && t.NodeID && ready.has(t.NodeID))
      kept.push(
        `${ready.get(t.NodeID)}: the job's task ended ${t.Status?.State ?? 'unknown'}: ${t.Status?.Err ?? ''}`.trim(),
      );
  return { removed, kept };
}
