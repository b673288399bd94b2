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
 * The order roles are rolled in: the roles behind the frontends first, so the endpoint clients talk
 * to changes last; within a role, by instance number.
 */
export const ROLL_ORDER: readonly ServerRole[] = ['history', 'matching', 'worker', 'frontend'];

/** The role-instance replacements of a plan, in the order they are rolled. Empty outside roles. Pure. */
export function rollingReplacements(plan: ClusterPlan): PlannedChange[] {
  const roleOf = (c: PlannedChange) => (c.service ? serviceDecl(c.service).role : undefined);
  return plan.changes
    .filter((c) => c.kind === 'service' && c.action === 'replace' && !c.tainted && roleOf(c))
    .sort(
      (a, b) =>
        ROLL_ORDER.indexOf(roleOf(a)!) - ROLL_ORDER.indexOf(roleOf(b)!) ||
        a.name.localeCompare(b.name, 'en', { numeric: true }),
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
