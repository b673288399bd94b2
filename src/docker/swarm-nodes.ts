// What a swarm target needs of the engine DOCKER_HOST names: a manager of an active swarm, and ready
// nodes carrying the labels the services are placed by (src/model/swarm-placement.ts).
import type { ClusterConfig } from '../config/schema.js';
import { enabledServices, serviceDecl } from '../model/service-facts.js';
import { NODE_LABELS, type NodeRole, nodeRoleOf } from '../model/swarm-placement.js';
import { dockerDeadline, withDocker, type Env } from './client.js';

/** A node as the engine's API lists it (the fields used here). */
export interface SwarmNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Labels?: Record<string, string>; Availability?: string };
  Status?: { State?: string; Addr?: string };
}

/** Every problem of the swarm for this config, one sentence each with its fix; empty when all is well. */
export async function swarmProblems(c: ClusterConfig, env: Env): Promise<string[]> {
  return withDocker(
    env,
    async (docker) => {
      const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
      if (info.Swarm?.LocalNodeState !== 'active')
        return [
          'TEMPORAL_TARGET=swarm, but the engine DOCKER_HOST names is not part of a swarm; run `docker swarm init` there (and join the other nodes), or use TEMPORAL_TARGET=host',
        ];
      if (!info.Swarm.ControlAvailable)
        return ['the engine DOCKER_HOST names is a swarm worker; point DOCKER_HOST at a manager of the swarm'];
      const nodes = (await docker.listNodes()) as SwarmNode[];
      return labelProblems(c, nodes);
    },
    dockerDeadline(c),
  );
}

/** A ready node for every label the enabled services are placed by. */
export function labelProblems(c: ClusterConfig, nodes: readonly SwarmNode[]): string[] {
  const needed = new Map<NodeRole, string[]>();
  for (const s of enabledServices(c)) {
    const role = serviceDecl(s).kind === 'long-running' ? nodeRoleOf(c, s) : undefined;
    if (role) needed.set(role, [...(needed.get(role) ?? []), s]);
  }
  const ready = nodes.filter((n) => n.Status?.State === 'ready' && (n.Spec?.Availability ?? 'active') === 'active');
  return [...needed].flatMap(([role, services]) => {
    const label = NODE_LABELS[role];
    if (ready.some((n) => n.Spec?.Labels?.[label] === 'true')) return [];
    return [
      `no ready node of the swarm is labelled ${label}=true, which ${services.join(', ')} ${services.length > 1 ? 'are' : 'is'} placed on; label one with \`docker node update --label-add ${label}=true NODE\``,
    ];
  });
}

/** A warning per node of the swarm that is not ready (down, or never came back), naming it and its address. */
export async function lostNodeWarnings(env: Env, timeoutMs: number): Promise<string[]> {
  const nodes = await withDocker(env, async (docker) => (await docker.listNodes()) as SwarmNode[], {
    ms: timeoutMs,
    key: 'TEMPORAL_PROBE_TIMEOUT',
  });
  return nodes
    .filter((n) => n.Status?.State !== 'ready')
    .map(
      (n) =>
        `swarm node ${n.Description?.Hostname ?? '?'}${n.Status?.Addr ? ` (${n.Status.Addr})` : ''} is ${n.Status?.State ?? 'unknown'}: the swarm runs the tasks it had on the ready nodes, and the volumes it holds are out of reach until it is back`,
    );
}
