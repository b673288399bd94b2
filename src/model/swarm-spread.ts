// Which of a swarm's services run unevenly: the swarm spreads a service's tasks over the nodes when it
// places them, but never moves a running task, so the tasks of a node that was down stay doubled up on
// the others after it returns. Pure: the rows and the ready nodes in, the services to roll out.
import type { ServiceName } from './services.js';

export interface PlacedTask {
  readonly service: ServiceName;
  readonly node?: string;
}

/**
 * Services with two tasks on one node while a ready node that may run the service runs none of them.
 * `eligible(service, node)`: whether the service's placement allows the node.
 */
export function unevenServices(
  tasks: readonly PlacedTask[],
  readyNodes: readonly string[],
  eligible: (service: ServiceName, node: string) => boolean,
): ServiceName[] {
  const nodesOf = new Map<ServiceName, string[]>();
  for (const t of tasks) if (t.node) nodesOf.set(t.service, [...(nodesOf.get(t.service) ?? []), t.node]);
  return [...nodesOf]
    .filter(([service, nodes]) => {
      const doubled = new Set(nodes).size < nodes.length;
      const idle = readyNodes.some((n) => !nodes.includes(n) && eligible(service, n));
      return doubled && idle;
    })
    .map(([service]) => service);
}
