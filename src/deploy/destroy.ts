// Removes the stack and never its data: the volumes are taken out of terraform's state before
// `terraform destroy` (they carry prevent_destroy, see stacks/constructs/network-and-volumes.ts),
// so only `down --volumes` (through the Docker API, after confirmation) ever deletes them.
import type { LoadedConfig } from '../project/load.js';
import { projectPaths } from '../project/paths.js';
import type { ExecIO } from './exec.js';
import { stateResourceCount } from './state.js';
import { synthesize } from './synth.js';
import { terraform, terraformInit } from './terraform.js';
import { sleep } from '../sleep.js';

/** terraform destroy of everything but the volumes; returns false when terraform had nothing to destroy. */
export async function destroyKeepingVolumes(loaded: LoadedConfig, io: ExecIO): Promise<boolean> {
  // Nothing in the state: nothing to destroy, and no reason to write a state directory.
  if (stateResourceCount(projectPaths(loaded.config, loaded.projectDir).stateFile) === 0) return false;
  const { dir } = await synthesize(loaded);
  await terraformInit(dir, io);
  const listed = await terraform(dir, ['state', 'list'], io);
  const volumes = listed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /(^|\.)docker_volume\.[^.]+$/.test(l));
  if (volumes.length > 0) await terraform(dir, ['state', 'rm', ...volumes], io);
  for (let attempt = 1; ; attempt++) {
    try {
      await terraform(dir, ['destroy', '-auto-approve', '-input=false'], io);
      return true;
    } catch (error) {
      // A swarm stops a removed service's tasks after the service is gone (each with its stop grace),
      // and refuses to remove their network until then: terraform's next try finds only the network.
      if (attempt >= DESTROY_ATTEMPTS || !/is in use by task/.test((error as Error).message)) throw error;
      await sleep(TASKS_GONE_WAIT_MS);
    }
  }
}

/** Tries of `terraform destroy` while a swarm network is still in use by stopping tasks. */
const DESTROY_ATTEMPTS = 5;
const TASKS_GONE_WAIT_MS = 10_000;
