// Plan and guard: synthesize, run terraform plan into a saved plan file, and decide whether start
// may apply it. A volume is never deleted or replaced by start; replacing a service whose downtime
// interrupts the cluster (the model's replaceImpact) needs a confirmation. `plan` runs the first
// half; start runs both, then applies the saved file.
import { stackName } from '../model/names-and-endpoints.js';
import type { LoadedConfig } from '../project/load.js';
import type { ClusterConfig } from '../config/schema.js';
import type { ExecIO } from '../deploy/exec.js';
import type { ClusterPlan } from '../deploy/plan-summary.js';
import type { Synthesized } from '../deploy/synth.js';
import type { Env } from '../docker/client.js';
import { containerAddress, instancesOf, isOneShot, serviceDecl, SERVICES, volumeName } from '../model/service-facts.js';
import { rolesTopology } from '../model/server-roles.js';
import type { Emit } from './events.js';

export type { ClusterPlan, PlannedAction, PlannedChange } from '../deploy/plan-summary.js';

export interface PlannedStack {
  readonly synth: Synthesized;
  readonly plan: ClusterPlan;
  /** The saved plan file: apply exactly this. */
  readonly planFile: string;
  /** One-shot jobs replaced because they failed last time. */
  readonly replace: readonly string[];
}

/** Synthesizes the stack and plans it; emits what it finds. */
export async function planStack(
  loaded: LoadedConfig,
  io: ExecIO,
  emit: Emit,
  options: { readonly target?: readonly string[] } = {},
): Promise<PlannedStack> {
  const config = loaded.config;
  const [{ synthesize }, { terraformPlan }] = await Promise.all([
    import('../deploy/synth.js'),
    import('../deploy/terraform-plan.js'),
  ]);
  const synth = await synthesize(loaded);
  emit({ type: 'synthesized', stack: stackName(config), dir: synth.dir, stateFile: synth.stateFile });
  for (const v of synth.retainedVolumes) {
    emit({
      type: 'warning',
      message: `${v.service} is switched off; its volume ${v.name} is kept with its data (switching it back on uses it again; \`temporal-ctl down --volumes\` deletes it)`,
    });
  }
  const replace = await failedOneShots(config, io.env);
  const saved = await terraformPlan(synth.dir, io, {
    replace,
    target: options.target,
    volumeName: (address) => volumeNameOf(config, address),
  });
  emit({ type: 'planned', stack: stackName(config), plan: saved.plan });
  return { synth, plan: saved.plan, planFile: saved.file, replace };
}

/** Asks whether to go on (on a terminal, or --yes); throws to refuse. */
export type Confirm = (action: string) => Promise<void>;

/**
 * Refuses a plan that deletes or replaces a volume (exit 1); shows the downtime of each disruptive
 * replacement and asks before it. Resolves when start may apply the plan.
 */
export async function guardPlan(config: ClusterConfig, plan: ClusterPlan, confirm: Confirm, emit: Emit): Promise<void> {
  const [{ volumeLosses, disruptiveReplacements }, { volumeRefusal }] = await Promise.all([
    import('../deploy/plan-summary.js'),
    import('../deploy/terraform-plan.js'),
  ]);
  const [lost] = volumeLosses(plan);
  if (lost) throw volumeRefusal(lost.name);
  const disruptive = disruptiveReplacements(plan);
  // Role instances replaced one at a time (src/lifecycle/rolling.ts): a role with others to serve
  // meanwhile has no downtime to show.
  const { rollingReplacements } = await import('./rolling.js');
  const rolled = rolesTopology(config) ? rollingReplacements(plan).map((c) => c.name) : [];
  if (rolled.length) emit({ type: 'rolling-planned', instances: rolled });
  for (const c of disruptive) {
    if (rolled.includes(c.name) && instancesOf(config, c.service!).length > 1) continue;
    emit({
      type: 'replace-downtime',
      service: c.service!,
      forcedBy: c.forcedBy ?? [],
      ...(c.changedEnv ? { changedEnv: c.changedEnv } : {}),
      impact: serviceDecl(c.service!).replaceImpact!,
    });
  }
  if (disruptive.length) {
    const names = disruptive.map((c) => c.name).join(' and ');
    const how = disruptive.every((c) => rolled.includes(c.name))
      ? 'one instance at a time, each healthy and in its ring before the next'
      : 'down until the new container is healthy';
    await confirm(`replace ${names} in stack ${stackName(config)} (${how})`);
  }
}

/**
 * Long-running containers of the stack that are stopped (`temporal-ctl stop`): terraform plans to
 * create them anew, while start resumes them before it plans.
 */
export async function stoppedContainers(config: ClusterConfig, env: Env): Promise<string[]> {
  const { listStackContainers } = await import('../docker/containers.js');
  const containers = await listStackContainers(config, env).catch(() => []);
  return containers.filter((x) => !isOneShot(x.service) && x.state !== 'running').map((x) => x.name);
}

/** `docker_volume.postgres_data` as its Docker name. */
function volumeNameOf(config: ClusterConfig, address: string): string {
  const id = address.replace(/^docker_volume\./, '');
  const service = SERVICES.find((s) => serviceDecl(s).volume?.resourceId === id);
  return (service && volumeName(config, service)) ?? address;
}

/**
 * A one-shot job that exited non-zero stays in the state unchanged, so a plain apply would not run
 * it again: ask terraform to replace it (the jobs are idempotent).
 */
async function failedOneShots(config: ClusterConfig, env: Env): Promise<string[]> {
  const { listStackContainers } = await import('../docker/containers.js');
  const containers = await listStackContainers(config, env).catch(() => []);
  return containers
    .filter((x) => isOneShot(x.service) && x.state === 'exited' && x.exitCode !== 0)
    .map((x) => containerAddress(x));
}
