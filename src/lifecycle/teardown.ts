// `down`'s work: remove containers and network (terraform destroy without the volumes), clean up
// what lost state left behind, and delete the volumes only when asked and confirmed.
import { stackName } from '../model/names-and-endpoints.js';
import type { LoadedConfig } from '../project/load.js';
import type { ExecIO } from '../deploy/exec.js';
import type { StackVolume } from '../docker/containers.js';
import { InterruptedError } from '../errors.js';
import { volumes } from '../model/service-facts.js';
import { NODE_LABELS, swarmTarget } from '../model/swarm-placement.js';
import type { Emit } from './events.js';
import { BEFORE_REMOVAL, DELETING_VOLUMES, REMOVING, withInterrupts, type Interrupts } from '../interrupts.js';

export interface TeardownOptions {
  readonly io: ExecIO;
  /** Also delete the data volumes. */
  readonly volumes: boolean;
  /** Called with the volumes about to be deleted, before anything is removed; throws to refuse. */
  readonly confirmVolumeLoss: (volumes: readonly StackVolume[]) => Promise<void>;
}

export async function teardown(loaded: LoadedConfig, options: TeardownOptions, emit: Emit): Promise<void> {
  // A signal at any point says what state the cluster is in (src/interrupts.ts).
  await withInterrupts(options.io.interruptible, BEFORE_REMOVAL, (interrupts) =>
    teardownSteps(loaded, options, interrupts, emit),
  );
}

async function teardownSteps(
  loaded: LoadedConfig,
  options: TeardownOptions,
  interrupts: Interrupts,
  emit: Emit,
): Promise<void> {
  const config = loaded.config;
  const env = options.io.env;
  const docker = await import('../docker/containers.js');
  // Fail fast on an unreachable engine, and ask before anything is removed, so a refusal leaves everything as it was.
  await interrupts.during(BEFORE_REMOVAL, () => docker.listStackContainers(config, env));
  // A swarm's volumes are on the nodes that ran the stores, out of the manager's listing: the names
  // the stack gives them stand for them.
  const doomed = !options.volumes
    ? []
    : swarmTarget(config)
      ? volumes(config).map((v) => ({ name: v.name }))
      : await interrupts.during(BEFORE_REMOVAL, () => docker.listStackVolumes(config, env, true));
  if (doomed.length > 0) await options.confirmVolumeLoss(doomed); // a prompt takes Ctrl-C as a refusal
  interrupts.at(REMOVING);
  emit({ type: 'removing', stack: stackName(config) });
  const { destroyKeepingVolumes } = await import('../deploy/destroy.js');
  // terraform runs plainly: an interrupt is forwarded to it, and it finishes its step and saves its state.
  const destroyed = await destroyKeepingVolumes(loaded, options.io).catch((error: unknown) => {
    if (!(error instanceof InterruptedError)) throw error;
    throw new InterruptedError(error.signal, error.message, {
      hint: 'the volumes are kept; `temporal-ctl down` again removes the rest',
    });
  });
  const leftovers = await interrupts.during(REMOVING, () => docker.removeStackLeftovers(config, env));
  emit({ type: 'removed', stack: stackName(config), destroyed, leftovers });
  if (doomed.length > 0) {
    emit({
      type: 'volumes-deleted',
      volumes: await interrupts.during(DELETING_VOLUMES, () =>
        swarmTarget(config) ? removeOnNodes(config, env, emit) : docker.removeVolumes(config, env),
      ),
    });
    (await import('../preflight/facts.js')).clearFacts(loaded); // the data they describe is gone
  } else if (!options.volumes)
    emit(
      swarmTarget(config)
        ? { type: 'volumes-kept', volumes: volumes(config).map((v) => v.name), onNodesLabelled: NODE_LABELS.stores }
        : {
            type: 'volumes-kept',
            volumes: (await interrupts.during(REMOVING, () => docker.listStackVolumes(config, env))).map((v) => v.name),
          },
    );
}

/** The stack's volumes removed on every ready node; what a node kept, and the nodes not reached, as warnings. */
async function removeOnNodes(config: LoadedConfig['config'], env: ExecIO['env'], emit: Emit): Promise<string[]> {
  const { removeSwarmVolumes } = await import('../docker/swarm-volumes.js');
  const result = await removeSwarmVolumes(config, env);
  for (const why of result.kept) emit({ type: 'warning', message: `volume not removed: ${why}` });
  for (const node of result.unreached)
    emit({
      type: 'warning',
      message: `swarm node ${node} is not ready, so any volume of the stack on it stays; run \`temporal-ctl down --volumes\` again once it is back`,
    });
  return [...result.removed];
}
