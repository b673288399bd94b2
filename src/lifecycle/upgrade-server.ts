// `upgrade`'s work: move the running server to a newer release the way Temporal supports, one minor
// at a time with the schema first. Order: read what runs (server release, schema versions), judge
// the chain (./../model/upgrade-chain.ts), plan and show the first step, confirm, back up, then per
// step: images, the schema job alone on the new admin-tools (terraform -target), the schema checked,
// only then the server and admin-tools replaced (start's apply), healthy, checked, recorded in
// temporal.env. A failure before the server is replaced leaves it running as it was.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setEnvFileKeys } from '../config/env-file-edit.js';
import { DEFAULT_ENV_FILE, type LoadedConfig } from '../project/load.js';
import type { ClusterConfig } from '../config/schema.js';
import type { ExecIO } from '../deploy/exec.js';
import type { ClusterPlan } from '../deploy/plan-summary.js';
import type { Env } from '../docker/client.js';
import { InterruptedError, OperationError } from '../errors.js';
import { containerAddress, serviceDecl, SERVICES } from '../model/service-facts.js';
import { swarmTarget } from '../model/swarm-placement.js';
import { expectedSchema } from '../config/server-schemas.js';
import type { ServiceName } from '../model/services.js';
import { bareVersion, skipRefusal, upgradeChain } from '../model/upgrade-chain.js';
import type { SchemaVersions } from '../probes/schema-versions.js';
import type { Emit } from './events.js';
import type { Confirm } from './plan-and-guard.js';
import { RELEASE_IMAGE_KEYS, stepConfig, type StepConfig } from './upgrade-config.js';

export interface UpgradeOptions {
  readonly io: ExecIO;
  /** The release to reach. @default - the configured TEMPORAL_VERSION */
  readonly to?: string;
  /** Run every step of a chain that crosses more than one minor (else refused with the chain). */
  readonly chain: boolean;
  /** Show the chain and the first step's plan; change nothing. */
  readonly dryRun: boolean;
  /** Where the backup taken first goes; false: no backup (--no-backup). */
  readonly backup: false | { readonly file?: string };
  /** The bound of each step's apply and wait for health. */
  readonly timeoutMs: number;
  /** Asked once, before the backup, for the whole upgrade; throws to refuse. */
  readonly confirm: Confirm;
}

/** What the cluster runs: the server's own release and the schema versions in its databases. */
export interface RunningVersions {
  readonly server: string;
  readonly schema: SchemaVersions;
}

export async function upgrade(loaded: LoadedConfig, options: UpgradeOptions, emit: Emit): Promise<void> {
  const env = options.io.env;
  const found = await runningVersions(loaded.config, env);
  emit({ type: 'upgrade-found', server: found.server, schema: found.schema });
  const chain = upgradeChain(found.server, options.to ?? loaded.config.TEMPORAL_VERSION);
  if (chain.steps.length === 0) {
    emit({ type: 'upgrade-current', version: chain.from });
    return;
  }
  if (chain.steps.length > 1 && !options.chain) throw skipRefusal(chain);
  const steps = stepsOf(loaded, chain.steps); // every step judged before anything runs
  emit({ type: 'upgrade-chain', from: chain.from, to: chain.to, steps: chain.steps });

  const { planStack, guardPlan } = await import('./plan-and-guard.js');
  const first = withConfig(loaded, steps[0]!.config);
  const planned = await planStack(first, options.io, emit);
  assertOnlyRelease(planned.plan);
  rmSync(planned.planFile, { force: true }); // each step plans again once its schema is updated
  if (options.dryRun) {
    emit({ type: 'upgrade-dry-run', steps: chain.steps, backup: options.backup !== false });
    return;
  }
  const path = chain.steps.length > 1 ? ` through ${chain.steps.join(', ')}` : '';
  await guardPlan(
    first.config,
    planned.plan,
    (what) => options.confirm(`upgrade Temporal from ${chain.from} to ${chain.to}${path} and ${what}`),
    emit,
  );

  let backupFile: string | undefined;
  if (options.backup) {
    const [{ backup }, { notInBackup }] = await Promise.all([
      import('./take-backup.js'),
      import('../backup/contents.js'),
    ]);
    const taken = await backup(loaded, { file: options.backup.file, env }, emit);
    backupFile = taken.file;
    emit({ type: 'backup-written', file: taken.file, bytes: taken.manifest.totalBytes, ms: taken.manifest.totalMs });
    const left = notInBackup(taken.manifest);
    if (left) emit({ type: 'warning', message: left }); // the rollback restores PostgreSQL only
  }
  let before = loaded;
  let from = chain.from;
  for (const [index, step] of steps.entries()) {
    const version = chain.steps[index]!;
    emit({ type: 'upgrade-step', from, to: version, index: index + 1, of: steps.length });
    await runStep(before, step, { ...options, from, version, backupFile }, emit);
    before = withConfig(before, step.config);
    from = version;
  }
}

/** Each step's config from the one before it (the first from the loaded config). */
function stepsOf(loaded: LoadedConfig, versions: readonly string[]): StepConfig[] {
  let current = loaded;
  return versions.map((v) => {
    const step = stepConfig(current, v);
    current = withConfig(current, step.config);
    return step;
  });
}

const withConfig = (loaded: LoadedConfig, config: ClusterConfig): LoadedConfig => ({ ...loaded, config });

interface StepRun extends UpgradeOptions {
  readonly from: string;
  readonly version: string;
  readonly backupFile?: string;
}

async function runStep(before: LoadedConfig, step: StepConfig, run: StepRun, emit: Emit): Promise<void> {
  const after = withConfig(before, step.config);
  const env = run.io.env;
  const started = performance.now();
  const untouched = `nothing was changed: the server still runs ${run.from}`;
  // A swarm's nodes pull the new images themselves, each task as the update reaches it.
  if (!swarmTarget(after.config)) {
    const { ensureImages } = await import('./ensure-images.js');
    await ensureImages(after, { env, timeoutMs: run.timeoutMs, untouched }, emit);
  }
  await updateSchema(after, run, emit);

  const [{ planStack }, { deploy }] = await Promise.all([import('./plan-and-guard.js'), import('./deploy.js')]);
  const planned = await planStack(after, run.io, emit);
  assertOnlyRelease(planned.plan);
  let now: RunningVersions;
  try {
    await deploy(
      after,
      {
        io: run.io,
        wait: true,
        timeoutMs: run.timeoutMs,
        forceApply: true,
        confirm: async () => undefined, // confirmed once for the whole upgrade
        planned,
        dataChecks: { version: false }, // the release changes here on purpose
      },
      emit,
    );
    now = await runningVersions(after.config, env);
    if (now.server !== run.version)
      throw new OperationError(`the server reports release ${now.server} after the upgrade, not ${run.version}`);
  } catch (error) {
    if (error instanceof InterruptedError) throw error; // it says what state the cluster is in
    const { recordFacts } = await import('../preflight/facts.js');
    recordFacts(before); // start may put the earlier release back (the rollback below)
    throw new OperationError(
      `upgrade to ${run.version} failed after the server was replaced: ${(error as Error).message}`,
      { hint: rollbackHint(run), cause: error },
    );
  }
  const recordedIn = recordRelease(before, step);
  emit({
    type: 'upgraded',
    from: run.from,
    to: run.version,
    schema: now.schema,
    ...(recordedIn ? { recordedIn } : {}),
    ms: Math.round(performance.now() - started),
  });
}

/**
 * The schema job alone, on the new admin-tools image, before the server is touched (terraform
 * -target: the job and what it depends on); then the schema versions must be the new release's.
 */
async function updateSchema(after: LoadedConfig, run: StepRun, emit: Emit): Promise<void> {
  const [{ planStack }, { terraformApply }] = await Promise.all([
    import('./plan-and-guard.js'),
    import('../deploy/apply.js'),
  ]);
  const started = performance.now();
  const quiet: Emit = () => undefined; // the step's full plan is what is shown
  const planned = await planStack(after, run.io, quiet, { target: [containerAddress(serviceDecl('schema'))] });
  assertOnlyRelease(planned.plan, ['schema']);
  emit({ type: 'schema-updating', version: run.version });
  try {
    await terraformApply(planned.synth.dir, run.io, [], () => undefined, planned.planFile);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    throw new OperationError(
      `the schema update for ${run.version} failed: ${(error as Error).message}; the server was not touched and still runs ${run.from}`,
      { hint: '`temporal-ctl logs schema` shows the job; fix the cause and run the same upgrade again', cause: error },
    );
  } finally {
    rmSync(planned.planFile, { force: true });
  }
  const schema = await schemaVersions(after.config, run.io.env); // the old server's answer is not needed here
  const { outdatedSchemas } = await import('../probes/schema-versions.js');
  const stale = outdatedSchemas(schema, expectedSchema(run.version)!);
  if (stale.length)
    throw new OperationError(
      `the schema job ran, but the schema is still older than ${run.version} needs (${stale.join(', ')}); the server was not touched and still runs ${run.from}`,
      { hint: '`temporal-ctl logs schema` shows what the job did' },
    );
  emit({ type: 'schema-updated', version: run.version, schema, afterMs: Math.round(performance.now() - started) });
}

/** Services whose image carries the server release: the only ones an upgrade may change. */
export function releaseServices(): ServiceName[] {
  return SERVICES.filter((s) => RELEASE_IMAGE_KEYS.includes(serviceDecl(s).image));
}

/**
 * Refuses (nothing applied yet) a plan that changes more than the release: a volume, another
 * service, the network. Those are other edits of the config, which start applies and guards.
 */
export function assertOnlyRelease(plan: ClusterPlan, services: readonly ServiceName[] = releaseServices()): void {
  const other = plan.changes.filter(
    (ch) => ch.kind !== 'image' && !(ch.kind === 'service' && ch.service && services.includes(ch.service)),
  );
  if (other.length === 0) return;
  throw new OperationError(
    `the upgrade's plan also changes ${other.map((ch) => `${ch.name} (${ch.action})`).join(', ')}: the config holds other edits since the last start; nothing was changed`,
    { hint: 'apply those with `temporal-ctl start` first (`temporal-ctl plan` shows them), then run upgrade again' },
  );
}

/** Writes the step's release keys into temporal.env; returns the file, or undefined when it already says so. */
function recordRelease(before: LoadedConfig, step: StepConfig): string | undefined {
  if (Object.keys(step.toWrite).length === 0) return undefined;
  const file = before.envFile ?? join(before.projectDir, DEFAULT_ENV_FILE);
  setEnvFileKeys(file, step.toWrite, `set by temporal-ctl upgrade on ${new Date().toISOString()}`);
  return file;
}

function rollbackHint(run: StepRun): string {
  const back = `\`temporal-ctl start --yes\` puts server ${run.from} back (temporal.env still names it)`;
  return run.backupFile
    ? `to roll back, ${back}, then \`temporal-ctl restore ${run.backupFile} --yes\` restores the data from before the upgrade; or fix the cause and run \`temporal-ctl upgrade --to ${run.version}\` again`
    : `no backup was taken (--no-backup): ${back}, or fix the cause and run \`temporal-ctl upgrade --to ${run.version}\` again`;
}

/** The server's release (GetSystemInfo) and the schema versions, read through the Docker engine. */
export async function runningVersions(c: ClusterConfig, env: Env): Promise<RunningVersions> {
  const { withConnection } = await import('../temporal/connection.js');
  const server = await withConnection(
    c,
    { action: 'read the server release (upgrade needs the running cluster)' },
    async (conn) => (await conn.workflowService.getSystemInfo({})).serverVersion,
  );
  if (!server)
    throw new OperationError('the server does not report its release (GetSystemInfo); upgrade cannot judge the chain');
  return { server: bareVersion(server), schema: await schemaVersions(c, env) };
}

/** Both schema versions, read from PostgreSQL through the Docker engine (the server is not asked). */
async function schemaVersions(c: ClusterConfig, env: Env): Promise<RunningVersions['schema']> {
  const [{ withDataPostgres }, { schemaVersionOf }] = await Promise.all([
    import('../stores/postgres-data.js'),
    import('../backup/cluster-facts.js'),
  ]);
  const schema = await withDataPostgres(
    c,
    env,
    () => undefined,
    async (pg) => {
      const temporal = await schemaVersionOf(pg, c.TEMPORAL_DB);
      if (c.TEMPORAL_VISIBILITY !== 'postgres') return { temporal };
      return { temporal, visibility: await schemaVersionOf(pg, c.TEMPORAL_VISIBILITY_DB) };
    },
  );
  if (!schema) throw new OperationError(`project ${c.TEMPORAL_PROJECT} has no PostgreSQL data to upgrade`);
  return schema;
}
