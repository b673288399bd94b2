// What `start` needs before it deploys: a reachable Docker engine with enough memory,
// terraform, and free host ports. Every problem is collected and reported at once.
import { createServer } from 'node:net';
import type { ClusterConfig } from '../config/schema.js';
import { memoryBudget, publishedPorts, type PublishedPort } from '../model/service-facts.js';
import { OperationError } from '../errors.js';
import { describeHost, type Env } from '../docker/client.js';
import { engineFacts } from '../docker/engine.js';
import type { ExecIO } from './exec.js';
import { checkTerraform } from './terraform.js';
import { swarmTarget } from '../model/swarm-placement.js';

/** Lists every missing prerequisite (empty when all is well). */
export async function missingPrerequisites(c: ClusterConfig, io: ExecIO): Promise<string[]> {
  if (swarmTarget(c)) return swarmPrerequisites(c, io);
  const [engine, tf] = await Promise.all([engineFacts(c, io.env), checkTerraform(io)]);
  const problems: string[] = [];
  if ('problem' in engine) problems.push(engine.problem);
  else problems.push(...memoryProblems(c, engine.memTotalBytes));
  if (!tf.ok) problems.push(tf.problem);
  if (isLocalEngine(io.env))
    problems.push(...(await portProblems(c, 'problem' in engine ? new Set() : engine.ourPorts)));
  return problems;
}

/**
 * On a swarm: the engine is a manager, the nodes carry the placement labels, and terraform. The
 * memory and the host ports are the nodes' (each task gets its limit where it is placed).
 */
async function swarmPrerequisites(c: ClusterConfig, io: ExecIO): Promise<string[]> {
  const { swarmProblems } = await import('../docker/swarm-nodes.js');
  const [swarm, tf] = await Promise.all([
    swarmProblems(c, io.env).catch((error: unknown) => [(error as Error).message]),
    checkTerraform(io),
  ]);
  return [...swarm, ...(tf.ok ? [] : [tf.problem])];
}

/** Throws one OperationError naming everything that is missing. */
export async function assertPrerequisites(c: ClusterConfig, io: ExecIO): Promise<void> {
  const problems = await missingPrerequisites(c, io);
  if (problems.length === 1) throw new OperationError(problems[0]!);
  if (problems.length > 1) {
    throw new OperationError(`${problems.length} prerequisites of start are missing:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The sum of the stack's memory limits must fit in what the engine has. */
export function memoryProblems(c: ClusterConfig, memTotalBytes: number): string[] {
  const budget = memoryBudget(c);
  const haveMib = Math.floor(memTotalBytes / 1024 / 1024);
  if (!memTotalBytes || haveMib >= budget.mib) return [];
  const parts = budget.parts.map((p) => `${p.service} ${p.mib} (${p.key})`).join(', ');
  const es = c.TEMPORAL_VISIBILITY === 'elasticsearch' ? ' or set TEMPORAL_VISIBILITY=postgres' : '';
  return [
    `the Docker engine has ${haveMib} MiB of memory but the stack's limits add up to ${budget.mib} MiB (${parts}): give Docker more memory, lower one of those keys${es}`,
  ];
}

/** Ports can only be checked from here when the engine runs on this machine. */
export function isLocalEngine(env: Env): boolean {
  const host = describeHost(env);
  if (host.startsWith('unix://') || host.startsWith('npipe://')) return true;
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(
      new URL(host.includes('://') ? host : `tcp://${host}`).hostname,
    );
  } catch {
    return false;
  }
}

async function portProblems(c: ClusterConfig, ourPorts: Set<number>): Promise<string[]> {
  const ports = publishedPorts(c).filter((p) => !ourPorts.has(p.host));
  const taken = await Promise.all(ports.map((p) => portTaken(p.address, p.host)));
  return ports.filter((_, i) => taken[i]).map(portMessage);
}

function portMessage({ host: port, key, purpose, service, address }: PublishedPort): string {
  return `port ${port} on ${address} (${key}, ${purpose} of ${service}) is already in use: stop what listens there or set ${key} to a free port in temporal.env`;
}

/** True when something else already listens on address:port. */
export function portTaken(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'),
    );
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
