// The pids limit of each running container of the stack (the model's `pidsLimit`). The
// kreuzwerker/docker provider cannot declare it: docker_container has no pids_limit in 3.6.2 nor in
// 4.6.0. So the deploy sets it through the engine's update API once terraform has applied; the
// engine keeps it in the container's host config across restarts, and a container terraform
// replaces gets it again at the end of that apply. One-shot jobs have finished by then.
import type { ClusterConfig } from '../config/schema.js';
import { isOneShot, serviceDecl } from '../model/service-facts.js';
import { apiMessage, withStackDocker, type Env } from './client.js';
import { listWith } from './containers.js';

export interface PidsLimitResult {
  /** `<container>: <engine's message>` for each the engine refused (e.g. no pids cgroup). */
  readonly refused: readonly string[];
}

export async function applyPidsLimits(c: ClusterConfig, env: Env): Promise<PidsLimitResult> {
  return withStackDocker(c, env, async (docker) => {
    const running = (await listWith(docker, c)).filter((x) => !isOneShot(x.service) && x.state === 'running');
    const refused: string[] = [];
    for (const x of running) {
      const want = serviceDecl(x.service).pidsLimit;
      if (x.pidsLimit === want) continue; // read by listWith's inspect
      try {
        await docker.getContainer(x.id).update({ PidsLimit: want });
      } catch (error) {
        refused.push(`${x.name}: ${apiMessage(error)}`);
      }
    }
    return { refused };
  });
}
