// What `start`'s prerequisites need to know about the engine: its memory and the host ports the
// stack's own containers already publish (those are not "taken" by someone else).
import type { ClusterConfig } from '../config/schema.js';
import { describeHost, engineError, withStackDocker, type Env } from './client.js';
import { stackFilter } from './containers.js';

export interface EngineFacts {
  memTotalBytes: number;
  /** Host ports published by the stack's own running containers. */
  ourPorts: Set<number>;
}

/** The facts, or one sentence saying why the engine could not be asked. Never throws. */
export async function engineFacts(c: ClusterConfig, env: Env): Promise<EngineFacts | { problem: string }> {
  try {
    return await withStackDocker(c, env, async (docker) => {
      const [info, containers] = await Promise.all([
        docker.info() as Promise<{ MemTotal: number }>,
        docker.listContainers({ filters: stackFilter(c) }),
      ]);
      const ourPorts = new Set(
        containers.flatMap((x) => x.Ports.map((p) => p.PublicPort).filter((p): p is number => Boolean(p))),
      );
      return { memTotalBytes: info.MemTotal, ourPorts };
    });
  } catch (error) {
    const mapped = engineError(error, describeHost(env));
    return { problem: mapped instanceof Error ? mapped.message : String(mapped) };
  }
}
