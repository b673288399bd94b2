// Containers and networks of the stack that its Terraform state does not hold: what a terraform
// killed mid-apply leaves behind (it created them, then died before recording them). The next apply
// would fail on their names ("already in use"). They hold no data (the volumes are separate and are
// never touched here), so they are removed and the apply creates them again.
import { existsSync } from 'node:fs';
import { stateResources } from '../project/paths.js';
import type { ClusterConfig } from '../config/schema.js';
import type { Env } from '../docker/client.js';
import { removeStackResourcesExcept } from '../docker/containers.js';

const REMOVABLE = new Set(['docker_container', 'docker_network']);

/** Engine ids of the containers and networks a local state file holds (none without the file). */
export function containerAndNetworkIdsInState(stateFile: string): Set<string> {
  return new Set(
    stateResources(stateFile)
      .filter((r) => r.mode === 'managed' && REMOVABLE.has(r.type ?? ''))
      .flatMap((r) => r.instances ?? [])
      .flatMap((i) => i.attributes?.id ?? []),
  );
}

/**
 * Removes the stack's containers, then networks, that the state does not hold; returns their names.
 * Without a state file nothing is removed: every container would look like an orphan (a deleted
 * .temporal-ctl/, a TEMPORAL_STATE_DIR pointed elsewhere).
 */
export async function removeOrphans(config: ClusterConfig, stateFile: string, env: Env): Promise<string[]> {
  if (!existsSync(stateFile)) return [];
  // A network still in use by a container not of this stack (a user's worker) is left: the apply says so.
  return removeStackResourcesExcept(config, containerAndNetworkIdsInState(stateFile), env);
}
