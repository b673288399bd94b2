// `start` on a swarm evens out the services a returned node left doubled up: each such service gets
// a forced update, which replaces its tasks one at a time, and the swarm places each new task on the
// node with the fewest of the service's tasks. The roll stops each old task before its new one
// starts (its declared order is put back afterwards): with the old task still running, a tie
// between nodes could put the new one beside another again.
import type { ClusterConfig } from '../config/schema.js';
import { NODE_LABELS, nodeRoleOf } from '../model/swarm-placement.js';
import { unevenServices } from '../model/swarm-spread.js';
import { withStackDocker, type Env } from './client.js';
import { stackFilter } from './containers.js';
import { awaitUpdated, forceUpdate, listStackServices } from './swarm-services.js';
import type { SwarmNode } from './swarm-nodes.js';
import { listSwarmTasks } from './swarm-tasks.js';

/** Rolls out the unevenly placed services; returns their swarm service names (none: all even). */
export function rebalanceServices(c: ClusterConfig, env: Env): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    const [tasks, nodes, services] = await Promise.all([
      listSwarmTasks(docker, stackFilter(c)),
      docker.listNodes() as Promise<SwarmNode[]>,
      listStackServices(docker, stackFilter(c)),
    ]);
    const ready = nodes.filter((n) => n.Status?.State === 'ready' && (n.Spec?.Availability ?? 'active') === 'active');
    const labelsOf = new Map(ready.map((n) => [n.Description?.Hostname ?? n.ID, n.Spec?.Labels ?? {}]));
    const uneven = unevenServices(
      tasks.filter((t) => t.state === 'running'),
      [...labelsOf.keys()],
      (service, node) => {
        const role = nodeRoleOf(c, service);
        return !role || labelsOf.get(node)?.[NODE_LABELS[role]] === 'true';
      },
    );
    const rolled = services.filter((s) => uneven.includes(s.service));
    const rolls = [];
    for (const s of rolled) rolls.push(await forceUpdate(docker, s, { stopFirst: true }));
    await awaitUpdated(docker, rolls);
    return rolled.map((s) => s.name);
  });
}
