// `temporal-ctl start [--timeout 180s] [--no-wait] [--apply]`: prerequisites, terraform apply,
// wait until every probe is healthy, ensure the declared namespaces, print the endpoints.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { endpoints, enabledServices, imageFor, stackName, type ServiceName } from '../config/derive.js';
import { formatDuration } from '../config/duration.js';
import type { ClusterConfig } from '../config/schema.js';
import { OperationError } from '../errors.js';
import type { ExecIO } from '../deploy/exec.js';
import type { StackStatus } from '../probes/collect.js';
import { example } from './help.js';
import { durationFlag } from '../cli/args.js';

interface StartFlags {
  timeout: number;
  wait: boolean;
  apply?: boolean;
}

export function registerStart(program: Command, ctx: Context): void {
  program
    .command('start')
    .description('deploy the cluster (terraform apply of the CDKTF stack), wait until healthy, print the endpoints')
    .addOption(new Option('--timeout <duration>', 'how long to wait for every probe to be healthy after terraform apply').argParser(durationFlag).default(180_000, '180s'))
    .option('--no-wait', 'return after terraform apply, without waiting for health')
    .option('--apply', 'run terraform apply even when the cluster is already running (to apply config changes)')
    .addHelpText('after', example('temporal-ctl start --timeout 300s', 'temporal-ctl start --env-file ./prod.env --no-wait'))
    .action((flags: StartFlags) => start(ctx, flags));
}

async function start(ctx: Context, flags: StartFlags): Promise<void> {
  const { config, envFile } = ctx.load();
  const io: ExecIO = { env: ctx.env, out: ctx.out, verbose: ctx.verbose };
  if (!flags.apply && (await alreadyRunning(config, ctx))) {
    ctx.out.info(`stack ${stackName(config)} is already running and healthy: nothing to do (--apply re-applies the config)`);
    return printEndpoints(ctx, config);
  }
  const deploy = await import('../deploy/prerequisites.js');
  await deploy.assertPrerequisites(config, io);
  // Containers stopped by `temporal-ctl stop` resume as they were, so apply finds them running.
  const { startStack } = await import('../docker/containers.js');
  const resumed = await startStack(config, ctx.env);
  if (resumed.length) ctx.out.info(`resumed ${resumed.join(', ')}`);
  const { synthesize } = await import('../deploy/synth.js');
  const { terraformApply } = await import('../deploy/terraform.js');
  ctx.out.info(`synthesizing stack ${stackName(config)}...`);
  const synth = await synthesize(config, { envFile }, io);
  if (ctx.verbose && synth.stateFile) ctx.out.info(ctx.out.dim(`terraform state: ${synth.stateFile}`));
  const replace = await failedSchemaJob(config, ctx);
  ctx.out.info(replace.length ? 'terraform apply (the last schema job failed: running it again)...' : 'terraform apply...');
  await terraformApply(synth.dir, io, replace).catch(async (error: unknown) => {
    // The stack's containers wait for their healthchecks during apply: show who was not healthy.
    const { listStackContainers, isUp } = await import('../docker/containers.js');
    const stuck = (await listStackContainers(config, ctx.env).catch(() => [])).find((x) => !isUp(x));
    if (stuck) await showLastLines(ctx, config, stuck.service);
    throw error;
  });
  if (!flags.wait) {
    ctx.out.info('deployed; not waiting for health (`temporal-ctl status --wait` does)');
    return printEndpoints(ctx, config);
  }
  await waitUntilHealthy(ctx, config, flags.timeout);
  await ensureDeclaredNamespaces(ctx, config);
  printEndpoints(ctx, config);
}

/**
 * A schema job that exited non-zero stays in the state unchanged, so a plain apply would not run it
 * again: ask terraform to replace it (the script is idempotent).
 */
async function failedSchemaJob(config: ClusterConfig, ctx: Context): Promise<string[]> {
  const { listStackContainers } = await import('../docker/containers.js');
  const { RESOURCE_IDS } = await import('../../stacks/resource-ids.js');
  const containers = await listStackContainers(config, ctx.env).catch(() => []);
  const job = containers.find((x) => x.service === 'schema');
  return job && job.state === 'exited' && job.exitCode !== 0 ? [`docker_container.${RESOURCE_IDS.schema}`] : [];
}

/** Every enabled service has its container up (schema job done) with the configured image. */
async function alreadyRunning(config: ClusterConfig, ctx: Context): Promise<boolean> {
  const { listStackContainers, isUp } = await import('../docker/containers.js');
  const containers = await listStackContainers(config, ctx.env).catch(() => []); // unreachable: prerequisites say so
  return enabledServices(config).every((service) => {
    const x = containers.find((c) => c.service === service);
    return x !== undefined && isUp(x) && x.image === imageFor(config, service);
  });
}

async function waitUntilHealthy(ctx: Context, config: ClusterConfig, timeoutMs: number): Promise<void> {
  const { waitHealthy } = await import('../probes/wait.js');
  const { startProgress } = await import('./start-progress.js');
  const progress = await startProgress(ctx.out);
  ctx.out.info(`waiting up to ${formatDuration(timeoutMs)} for every service to be healthy...`);
  const result = await waitHealthy(config, { timeoutMs, env: ctx.env, onRound: (status) => progress.round(status) });
  progress.done();
  if (!result.timedOut && result.status.healthy) {
    ctx.out.info(`every service is healthy after ${formatDuration(Math.round(result.waitedMs / 100) * 100)}`);
    return;
  }
  await failWithLogs(ctx, config, result.status, timeoutMs);
}

/** Names the unhealthy services, shows the first one's last log lines, exits 1. Removes nothing. */
async function failWithLogs(ctx: Context, config: ClusterConfig, status: StackStatus, timeoutMs: number): Promise<never> {
  const bad = status.services.filter((s) => !s.healthy);
  const first = bad[0];
  if (first) await showLastLines(ctx, config, first.service);
  const names = bad.map((s) => `${s.service} (${s.detail})`).join('; ');
  throw new OperationError(`not healthy after ${formatDuration(timeoutMs)}: ${names || 'unknown'}`, {
    hint: `nothing was removed; \`temporal-ctl logs ${first?.service ?? ''}\` shows more, then run \`temporal-ctl start\` again (or a longer --timeout)`,
  });
}

async function showLastLines(ctx: Context, config: ClusterConfig, service: ServiceName): Promise<void> {
  const { lastLogLines } = await import('../docker/logs.js');
  const lines = await lastLogLines(config, service, 20, ctx.env).catch(() => []);
  ctx.out.info(lines.length ? `${service} is not healthy; its last ${lines.length} log lines:` : `${service} is not healthy and has no log lines`);
  for (const l of lines) ctx.out.info(`  ${ctx.out.dim(l)}`);
}

async function ensureDeclaredNamespaces(ctx: Context, config: ClusterConfig): Promise<void> {
  const { ensureNamespaces } = await import('../namespaces/ensure.js');
  await ensureNamespaces(config, {
    onEvent: (e) => {
      if (e.kind === 'created' || e.kind === 'existed') ctx.out.info(`namespace ${e.result.name}: ${e.kind}`);
      if (e.kind === 'retention-mismatch') ctx.out.warn(e.message);
    },
  });
}

function printEndpoints(ctx: Context, config: ClusterConfig): void {
  const e = endpoints(config);
  const rows: [string, string][] = [['gRPC', e.grpc], ['HTTP API', e.http], ['Web UI', e.ui], ['PostgreSQL', e.postgresDsn]];
  if (config.TEMPORAL_VISIBILITY === 'elasticsearch') rows.push(['Elasticsearch', e.elasticsearch]);
  ctx.out.line(`Temporal cluster ${stackName(config)}:`);
  for (const [name, value] of rows) ctx.out.line(`  ${name.padEnd(14)}${value}`);
}
