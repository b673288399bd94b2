// With TEMPORAL_TOPOLOGY=roles, a plan that replaces role instances (an upgrade, an edit of their
// environment or of the server's config files) is applied one instance at a time: terraform replaces
// that instance alone (its stop grace lets the server leave the ring and hand its shards over), then
// the whole cluster must be healthy with every instance in its ring before the next one goes. The
// other instances of the role keep serving meanwhile, so the client endpoint stays up.
import type { LoadedConfig } from '../project/load.js';
import type { ExecIO } from '../deploy/exec.js';
import type { ClusterPlan, PlannedChange } from '../deploy/plan-summary.js';
import type { ResourceChange } from '../deploy/apply.js';
import { rolesTopology, type ServerRole } from '../model/server-roles.js';
import { serviceDecl } from '../model/service-facts.js';
import type { Emit } from './events.js';
import type { PlannedStack } from './plan-and-guard.js';

/**
 * The order roles are rolled in, within a role by instance number: the roles behind the frontends
 * first, then the frontends, then the worker role. Each role comes after the roles it starts after
 * (the model's `after`): a targeted apply also replaces what its target depends on, so a dependency
 * rolled later would be replaced all at once with it (test/unit/rolling.test.ts checks this).
 */
export const ROLL_ORDER: readonly ServerRole[] = ['history', 'matching', 'frontend', 'worker'];

/** The role-instance replacements of a plan, in the order they are rolled. Empty outside roles. Pure. */
export function rollingReplacements(plan: ClusterPlan): PlannedChange[] {
  const roleOf = (c: PlannedChange) => (c.service ? serviceDecl(c.service).role : undefined);
  return (
    plan.changes
      // Containers only: a swarm service rolls its own tasks (its update settings), and its replacement is whole.
      .filter(
        (c) =>
          c.kind === 'service' &&
          c.action === 'replace' &&
          !c.tainted &&
          roleOf(c) &&
          c.address.startsWith('docker_container.'),
      )
      .sort(
        (a, b) =>
          ROLL_ORDER.indexOf(roleOf(a)!) - ROLL_ORDER.indexOf(roleOf(b)!) ||
          a.name.localeCompare(b.name, 'en', { numeric: true }),
      )
  );
}

/** Whether start rolls this plan's replacements instead of applying them at once. */
export const rolls = (loaded: LoadedConfig, plan: ClusterPlan): boolean =>
  rolesTopology(loaded.config) && rollingReplacements(plan).length > 0;

export interface RollOptions {
  readonly io: ExecIO;
  /** What is left of the deadline of the apply and the waits together. */
  readonly remainingMs: () => number;
  readonly totalMs: number;
  readonly signal: AbortSignal;
}

/**
 * Replaces the plan's role instances one at a time, each healthy and in its ring before the next,
 * then plans what is left (the balancer, images, anything else the edit changed) and returns that
 * plan for the caller to apply. A plan without role replacements is returned as it is.
 */
export async function rollInstances(
  loaded: LoadedConfig,
  planned: PlannedStack,
  options: RollOptions,
  onChange: (change: ResourceChange) => void,
  emit: Emit,
): Promise<PlannedStack> {
  if (!rolls(loaded, planned.plan)) return planned;
  const [{ terraformApply }, { planStack }, { waitUntilHealthy }, { rmSync }] = await Promise.all([
    import('../deploy/apply.js'),
    import('./plan-and-guard.js'),
    import('./health-wait.js'),
    import('node:fs'),
  ]);
  rmSync(planned.planFile, { force: true }); // each instance is applied by its own target
  const steps = rollingReplacements(planned.plan);
  for (const [index, change] of steps.entries()) {
    const started = performance.now();
    emit({ type: 'rolling', instance: change.name, index: index + 1, of: steps.length });
    await terraformApply(planned.synth.dir, options.io, [], onChange, undefined, [change.address]);
    await dockerHealthy(loaded, change.name, options);
    await waitUntilHealthy(
      loaded.config,
      { remainingMs: options.remainingMs(), totalMs: options.totalMs, signal: options.signal, quiet: true },
      options.io.env,
      emit,
    );
    emit({ type: 'rolled', instance: change.name, afterMs: Math.round(performance.now() - started) });
  }
  return planStack(loaded, options.io, () => undefined);
}

/**
 * Until the instance's own Docker healthcheck (its role's gRPC health) says healthy: the status
 * probe of a role counts a container still starting as up, and the ring may list it a moment before
 * it serves.
 */
async function dockerHealthy(loaded: LoadedConfig, instance: string, options: RollOptions): Promise<void> {
  const [{ listStackContainers }, { OperationError }, { formatDuration }, { sleep }] = await Promise.all([
    import('../docker/containers.js'),
    import('../errors.js'),
    import('../config/duration.js'),
    import('../sleep.js'),
  ]);
  const deadline = performance.now() + options.remainingMs();
  for (;;) {
    const containers = await listStackContainers(loaded.config, options.io.env);
    const health = containers.find((x) => x.instance === instance)?.health;
    if (health === 'healthy') return;
    if (performance.now() > deadline || options.signal.aborted)
      throw new OperationError(
        `${instance} was replaced but its healthcheck did not pass within --timeout ${formatDuration(options.totalMs)} (${health ?? 'no container'}); the instances not yet replaced run as they were`,
        { hint: `\`temporal-ctl logs ${instance}\` shows why; \`temporal-ctl start\` continues the roll` },
      );
    await sleep(250, options.signal);
  }
}
