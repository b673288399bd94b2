// `temporal-ctl down [--volumes] [--yes]`: removes the stack; the data goes only with --volumes + confirmation.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { stackName } from '../config/derive.js';
import type { ClusterConfig } from '../config/schema.js';
import { confirmTyped } from '../cli/confirm.js';
import type { StackVolume } from '../docker/containers.js';
import { example } from './help.js';

interface DownFlags {
  volumes?: boolean;
  yes?: boolean;
}

export function registerDown(program: Command, ctx: Context): void {
  program
    .command('down')
    .description('remove the cluster (containers, network); volumes are kept unless --volumes')
    .option('--volumes', 'also delete the data volumes (PostgreSQL, Elasticsearch): asks for confirmation')
    .option('--yes', 'do not ask; needed for --volumes without a terminal (CI)')
    .addHelpText('after', example('temporal-ctl down', 'temporal-ctl down --volumes --yes'))
    .action((flags: DownFlags) => down(ctx, flags));
}

async function down(ctx: Context, flags: DownFlags): Promise<void> {
  const { config, envFile } = ctx.load();
  const docker = await import('../docker/containers.js');
  const io = { env: ctx.env, out: ctx.out, verbose: ctx.verbose };
  // Fail fast on an unreachable engine, and ask before anything is removed, so a refusal leaves everything as it was.
  await docker.listStackContainers(config, ctx.env);
  const doomed = flags.volumes ? await docker.listStackVolumes(config, ctx.env, true) : [];
  if (doomed.length > 0) await confirmVolumeLoss(ctx, config, doomed, Boolean(flags.yes));
  ctx.out.info(`removing stack ${stackName(config)}...`);
  const { destroyKeepingVolumes } = await import('../deploy/destroy.js');
  const destroyed = await destroyKeepingVolumes(config, { envFile }, io);
  const leftovers = await docker.removeStackLeftovers(config, ctx.env);
  const removed = doomed.length > 0 ? await docker.removeVolumes(config, ctx.env) : [];
  const kept = flags.volumes ? [] : await docker.listStackVolumes(config, ctx.env);
  ctx.out.line(`stack ${stackName(config)} removed${destroyed ? '' : ' (terraform had nothing deployed)'}${leftovers.length ? `; also removed ${leftovers.join(', ')}` : ''}`);
  if (removed.length) ctx.out.line(`deleted volumes: ${removed.join(', ')}`);
  if (kept.length) ctx.out.line(`kept volumes: ${kept.map((v) => v.name).join(', ')} (\`temporal-ctl down --volumes\` deletes them)`);
}

async function confirmVolumeLoss(ctx: Context, config: ClusterConfig, volumes: StackVolume[], yes: boolean): Promise<void> {
  ctx.out.info(`${ctx.out.bad('This deletes all data of the cluster')} (workflow histories, namespaces, visibility):`);
  for (const v of volumes) ctx.out.info(`  ${v.name}${v.sizeBytes !== undefined ? `  ${formatBytes(v.sizeBytes)}` : ''}`);
  await confirmTyped(ctx.out, { action: `delete the data volumes of stack ${stackName(config)}`, name: config.TEMPORAL_PROJECT, nameIs: 'the project name', yes });
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
