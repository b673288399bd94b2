// `down`'s work: remove containers and network (terraform destroy without the volumes), clean up
// what lost state left behind, and delete the volumes only when asked and confirmed.
import { stackName } from '../config/derive.js';
import type { LoadedConfig } from '../config/load.js';
import type { ExecIO } from '../deploy/exec.js';
import type { StackVolume } from '../docker/containers.js';
import type { Emit } from './events.js';

export interface TeardownOptions {
  readonly io: ExecIO;
  /** Also delete the data volumes. */
  readonly volumes: boolean;
  /** Called with the volumes about to be deleted, before anything is removed; throws to refuse. */
  readonly confirmVolumeLoss: (volumes: readonly StackVolume[]) => Promise<void>;
}

export async function teardown(loaded: LoadedConfig, options: TeardownOptions, emit: Emit): Promise<void> {
  const config = loaded.config;
  const env = options.io.env;
  const docker = await import('../docker/containers.js');
  // Fail fast on an unreachable engine, and ask before anything is removed, so a refusal leaves everything as it was.
  await docker.listStackContainers(config, env);
  const doomed = options.volumes ? await docker.listStackVolumes(config, env, true) : [];
  if (doomed.length > 0) await options.confirmVolumeLoss(doomed);
  emit({ type: 'removing', stack: stackName(config) });
  const [{ destroyKeepingVolumes }, { moveLegacyState }, { projectPaths }] = await Promise.all([
    import('../deploy/destroy.js'),
    import('../deploy/state.js'),
    import('../config/project.js'),
  ]);
  const paths = projectPaths(config, loaded.projectDir);
  const movedFrom = moveLegacyState(paths);
  if (movedFrom) emit({ type: 'state-moved', from: movedFrom, to: paths.stateFile });
  const destroyed = await destroyKeepingVolumes(loaded, options.io);
  const leftovers = await docker.removeStackLeftovers(config, env);
  emit({ type: 'removed', stack: stackName(config), destroyed, leftovers });
  if (doomed.length > 0) {
    emit({ type: 'volumes-deleted', volumes: await docker.removeVolumes(config, env) });
    (await import('../preflight/facts.js')).clearFacts(loaded); // the data they describe is gone
  } else if (!options.volumes)
    emit({ type: 'volumes-kept', volumes: (await docker.listStackVolumes(config, env)).map((v) => v.name) });
}
