// `start`'s work, as a sequence of steps that emit events: prerequisites, images on the engine
// (src/lifecycle/ensure-images.ts: pulled before terraform runs), resume stopped containers,
// synthesize, terraform plan, guard (src/lifecycle/plan-and-guard.ts), apply the saved plan (with
// roles, replaced instances one at a time first: src/lifecycle/rolling.ts), wait until healthy, ensure
// the declared namespaces. It decides and acts; the command only renders what it emits.
import { rmSync } from 'node:fs';
import { stackName } from '../model/names-and-endpoints.js';
import type { LoadedConfig } from '../project/load.js';
import type { ClusterConfig } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import type { ExecIO } from '../deploy/exec.js';
import { InterruptedError } from '../errors.js';
import { printedEndpoints, runsServer } from '../model/service-facts.js';
import { MEMBERSHIP_HEARTBEAT_CUTOFF_MS } from '../model/server-roles.js';
import { swarmTarget } from '../model/swarm-placement.js';
import type { ServiceName } from '../model/services.js';
import { sleep } from '../sleep.js';
import type { Env } from '../docker/client.js';
import { isUp } from '../docker/containers.js';
import type { Emit } from './events.js';
import { alreadyRunning } from './already-running.js';
import { clientEnv } from './worker-env.js';
import { reportUnhealthy, waitUntilHealthy } from './health-wait.js';
import { BEFORE_APPLY, DURING_APPLY, NAMESPACES, WAITING, withInterrupts, type Interrupts } from '../interrupts.js';
import type { Confirm, PlannedStack } from './plan-and-guard.js';
import type { PreflightDataOptions } from './preflight-data.js';
import type { ResourceChange } from '../deploy/apply.js';

export interface DeployOptions {
  readonly io: ExecIO;
  /** Wait until every probe is healthy, then ensure namespaces. */
  readonly wait: boolean;
  /** The bound of the apply and the wait for health together. */
  readonly timeoutMs: number;
  /** Apply even when the cluster already runs as configured. */
  readonly forceApply: boolean;
  /** Asked before a plan replaces a service whose downtime interrupts the cluster; throws to refuse. */
  readonly confirm: Confirm;
  /**
   * A plan already made, shown and confirmed (rotate-password plans before it changes the
   * password): applied as it is, without planning or asking again. @default - start plans
   */
  readonly planned?: PlannedStack;
  /** The checks of the config against the data before the apply. @default - all of them */
  readonly dataChecks?: PreflightDataOptions;
}

const UNTOUCHED = 'nothing was changed: start stopped before terraform ran, so running containers keep running';

export async function deploy(loaded: LoadedConfig, options: DeployOptions, emit: Emit): Promise<void> {
  // A signal at any point says what state the cluster is in (src/interrupts.ts); terraform's own steps
  // say what terraform did (src/deploy/forward-interrupts.ts).
  await withInterrupts(options.io.interruptible, BEFORE_APPLY, (interrupts) =>
    deploySteps(loaded, options, interrupts, emit),
  );
}

async function deploySteps(
  loaded: LoadedConfig,
  options: DeployOptions,
  interrupts: Interrupts,
  emit: Emit,
): Promise<void> {
  const config = loaded.config;
  const env = options.io.env;
  const started = performance.now();
  const { assertTlsFilesUsable } = await import('../tls/check-files.js');
  assertTlsFilesUsable(config); // before the engine is asked anything: pulls take minutes
  /** What is left of --timeout, in whole seconds, at least one. */
  const remainingMs = () => Math.max(1000, Math.round((started + options.timeoutMs - performance.now()) / 1000) * 1000);
  // Both ask the engine at once: against one that does not answer, they wait out one deadline together.
  const { otherProfileRefusal } = await import('../docker/profiles.js');
  const [running, otherProfile] = await interrupts.during(BEFORE_APPLY, () =>
    Promise.all([!options.forceApply && alreadyRunning(config, env), otherProfileRefusal(config, env)]),
  );
  if (running) {
    const { comparedWithApplied } = await import('./applied.js');
    if (comparedWithApplied(loaded) !== 'changed') {
      emit({ type: 'already-running', stack: stackName(config) });
      await limitPids(config, env, emit); // a cluster made by `cdktf deploy` has none yet
      // A namespace added to the config since (or a cluster made by `cdktf deploy`) still gets made.
      if (options.wait)
        await interrupts.during(NAMESPACES, (signal) =>
          ensureDeclaredNamespaces(loaded, { signal, timeoutMs: remainingMs(), totalMs: options.timeoutMs }, emit),
        );
      return ready(config, emit);
    }
    emit({ type: 'config-changed', stack: stackName(config) });
  }
  if (otherProfile) throw otherProfile; // before terraform adopts its containers and volumes
  const { assertPrerequisites } = await import('../deploy/prerequisites.js');
  await interrupts.during(BEFORE_APPLY, () => assertPrerequisites(config, options.io));
  emit({ type: 'prerequisites-checked' });
  // Every image on the engine before terraform runs: a bad tag then stops start with the old containers
  // running. A swarm's nodes pull their images themselves, from TEMPORAL_IMAGE_REGISTRY.
  const { ensureImages } = await import('./ensure-images.js');
  if (!swarmTarget(config))
    await interrupts.during(BEFORE_APPLY, () =>
      ensureImages(loaded, { env, timeoutMs: remainingMs(), untouched: UNTOUCHED }, emit),
    );
  // One deadline for the pulls, the apply and the wait: the apply is asked to stop (as by Ctrl-C) when it passes.
  await apply(
    loaded,
    { ...options, io: { ...options.io, abort: AbortSignal.timeout(remainingMs()) } },
    remainingMs,
    interrupts,
    emit,
  );
  interrupts.at(DURING_APPLY);
  if (options.wait) {
    const healthy = () =>
      interrupts.during(WAITING, (signal) =>
        waitUntilHealthy(config, { remainingMs: remainingMs(), totalMs: options.timeoutMs, signal }, env, emit),
      );
    await healthy();
    if (swarmTarget(config)) {
      const { rebalanceServices } = await import('../docker/swarm-rebalance.js');
      const rolled = await interrupts.during(WAITING, () => rebalanceServices(config, env));
      if (rolled.length) {
        emit({ type: 'rebalanced', services: rolled });
        await healthy();
      }
    }
    await interrupts.during(NAMESPACES, (signal) =>
      ensureDeclaredNamespaces(loaded, { signal, timeoutMs: remainingMs(), totalMs: options.timeoutMs }, emit),
    );
  } else {
    emit({ type: 'not-waiting' });
  }
  ready(config, emit);
}

async function apply(
  loaded: LoadedConfig,
  options: DeployOptions,
  remainingMs: () => number,
  interrupts: Interrupts,
  emit: Emit,
): Promise<void> {
  const config = loaded.config;
  const env = options.io.env;
  const [{ removeOrphans }, { projectPaths }] = await Promise.all([
    import('../deploy/orphans.js'),
    import('../project/paths.js'),
  ]);
  const { stateFile } = projectPaths(config, loaded.projectDir);
  // What a killed terraform created but never recorded would block the apply ("name already in
  // use"); a swarm's services are the manager's and carry no such leftovers on this engine.
  if (!swarmTarget(config)) {
    const orphans = await interrupts.during(BEFORE_APPLY, () => removeOrphans(config, stateFile, env));
    if (orphans.length) emit({ type: 'orphans-removed', names: orphans });
  }
  // What `temporal-ctl stop` stopped (or scaled to zero) resumes as it was, so the plan finds it running.
  const { startStack } = await import('../docker/containers.js');
  const resumed = await interrupts.during(BEFORE_APPLY, () => startStack(config, env));
  if (resumed.length) emit({ type: 'resumed', containers: resumed });
  // The config against the data the cluster already has (credentials, major version, first-start facts).
  const { preflightData } = await import('./preflight-data.js');
  await interrupts.during(BEFORE_APPLY, () => preflightData(loaded, env, emit, options.dataChecks));
  const [{ planStack, guardPlan }, { terraformApply }] = await Promise.all([
    import('./plan-and-guard.js'),
    import('../deploy/apply.js'),
  ]);
  // Plan, show, guard, then apply the saved plan: what was shown is what is applied.
  // terraform plan runs plainly: an interrupt reaches it, and it says so (src/deploy/terraform-plan.ts).
  interrupts.at(BEFORE_APPLY);
  const planned = options.planned ?? (await planStack(loaded, options.io, emit));
  // Not raced: a prompt on the terminal takes Ctrl-C as a refusal, and an abandoned one would hold stdin.
  if (!options.planned) await guardPlan(config, planned.plan, options.confirm, emit);
  interrupts.at(DURING_APPLY); // terraform's own interrupt says what it did; this covers a signal after it ended
  if (!planned.plan.pending) return applied(loaded, env, emit);
  emit({ type: 'apply-started', replace: planned.replace });
  const onChange = (change: ResourceChange) => emit({ type: 'resource', change });
  const afterRemoval = await removedFirst(loaded, planned, options, onChange, emit);
  const { rollInstances } = await import('./rolling.js');
  const signal = options.io.abort ?? new AbortController().signal;
  const rest = await rollInstances(
    loaded,
    afterRemoval,
    { io: options.io, remainingMs, totalMs: options.timeoutMs, signal },
    onChange,
    emit,
  ).catch(async (error: unknown) => reportStuck(loaded, env, error, emit));
  const planFile = rest.planFile;
  await terraformApply(planned.synth.dir, options.io, [], onChange, planFile).catch((error: unknown) =>
    reportStuck(loaded, env, error, emit),
  );
  rmSync(planFile, { force: true }); // applied: stale now, and it holds the config's secrets
  await applied(loaded, env, emit);
}

/** How far back a failed apply looks for the swarm tasks that failed during it. */
const FAILURES_LOOK_BACK_MS = 15 * 60_000;

/**
 * An apply or rolling step that failed: the stack's containers wait for their healthchecks during
 * apply, so the one that is not up is named with its last log lines. An interrupt says itself what
 * state the cluster is in.
 */
async function reportStuck(loaded: LoadedConfig, env: Env, error: unknown, emit: Emit): Promise<never> {
  if (!(error instanceof InterruptedError) && swarmTarget(loaded.config)) {
    // A rolled-back update runs the old tasks again: the failed new ones say why.
    const [{ withStackDocker }, { stackFilter }, { recentTaskFailures }] = await Promise.all([
      import('../docker/client.js'),
      import('../docker/containers.js'),
      import('../docker/swarm-tasks.js'),
    ]);
    const failures = await withStackDocker(loaded.config, env, (docker) =>
      recentTaskFailures(docker, stackFilter(loaded.config), Date.now() - FAILURES_LOOK_BACK_MS),
    ).catch(() => []);
    for (const f of failures) emit({ type: 'warning', message: f });
  } else if (!(error instanceof InterruptedError)) {
    const { listStackContainers } = await import('../docker/containers.js');
    const stuck = (await listStackContainers(loaded.config, env).catch(() => [])).find((x) => !isUp(x));
    if (stuck) await reportUnhealthy(loaded.config, stuck.service, env, emit);
  }
  throw error;
}

/**
 * When the plan both removes containers and creates others, the removed ones go first (a targeted
 * apply), then the rest is planned again and that plan is applied: a removed container may hold a host
 * port a new one publishes (switching TEMPORAL_TOPOLOGY hands the client ports between the server and
 * the balancer), and terraform would otherwise create and delete side by side. Returns the plan to apply.
 */
async function removedFirst(
  loaded: LoadedConfig,
  planned: PlannedStack,
  options: DeployOptions,
  onChange: (change: ResourceChange) => void,
  emit: Emit,
): Promise<PlannedStack> {
  const services = planned.plan.changes.filter((c) => c.kind === 'service');
  const removed = services.filter((c) => c.action === 'delete');
  const created = services.filter((c) => c.action === 'create');
  if (removed.length === 0 || created.length === 0) return planned;
  const [{ terraformApply }, { planStack }] = await Promise.all([
    import('../deploy/apply.js'),
    import('./plan-and-guard.js'),
  ]);
  await terraformApply(
    planned.synth.dir,
    options.io,
    [],
    onChange,
    undefined,
    removed.map((c) => c.address),
  );
  rmSync(planned.planFile, { force: true });
  // A new server would try to join the ring through the stopped ones while they are still listed.
  const server = (c: { readonly service?: ServiceName }) => c.service !== undefined && runsServer(c.service);
  if (removed.some(server) && created.some(server)) {
    emit({ type: 'membership-settling', ms: MEMBERSHIP_HEARTBEAT_CUTOFF_MS });
    await sleep(MEMBERSHIP_HEARTBEAT_CUTOFF_MS, options.io.abort);
  }
  return planStack(loaded, options.io, () => undefined);
}

/** After an apply (or a plan with nothing to do): the pids limits, the record of what runs, the event. */
async function applied(loaded: LoadedConfig, env: Env, emit: Emit): Promise<void> {
  const { recordApplied } = await import('./applied.js');
  await limitPids(loaded.config, env, emit);
  recordApplied(loaded);
  emit({ type: 'applied' });
}

/** The pids limits terraform cannot declare (src/docker/pids-limits.ts); an engine that refuses one is a warning. */
async function limitPids(config: ClusterConfig, env: Env, emit: Emit): Promise<void> {
  if (swarmTarget(config)) return; // a swarm task's container is on its node, out of this engine's reach
  const { applyPidsLimits } = await import('../docker/pids-limits.js');
  const { refused } = await applyPidsLimits(config, env);
  for (const line of refused)
    emit({ type: 'warning', message: `the engine refused the pids limit of ${line}; the container runs without one` });
}

async function ensureDeclaredNamespaces(
  loaded: LoadedConfig,
  bound: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly totalMs: number },
  emit: Emit,
): Promise<void> {
  const [{ ensureNamespaces }, { configFile }] = await Promise.all([
    import('../namespaces/ensure.js'),
    import('../project/paths.js'),
  ]);
  await ensureNamespaces(loaded.config, {
    file: configFile(loaded.projectDir, 'namespaces.yaml'),
    signal: bound.signal,
    deadline: { ms: bound.timeoutMs, flag: `start's --timeout ${formatDuration(bound.totalMs)}` },
    onEvent: (e) => {
      if (e.kind === 'waiting-usable') emit({ type: 'namespace-waiting', name: e.name, reason: e.reason });
      if (e.kind === 'created' || e.kind === 'existed') emit({ type: 'namespace-ensured', result: e.result });
      if (e.kind === 'retention-mismatch') emit({ type: 'warning', message: e.message });
    },
  });
}

function ready(config: ClusterConfig, emit: Emit): void {
  emit({
    type: 'ready',
    stack: stackName(config),
    endpoints: printedEndpoints(config).map(({ label, url }) => ({ label, url })),
    clientEnv: clientEnv(config),
  });
}
