// `temporal-ctl down [--volumes] [--yes]`: parses flags, confirms data loss, renders the lifecycle
// core's events (src/lifecycle/teardown.ts does the work). Data goes only with --volumes + confirmation.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { stackName } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { confirmTyped } from '../cli/confirm.js';
import type { StackVolume } from '../docker/containers.js';
import { formatBytes } from '../bytes.js';
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
    .action(async (flags: DownFlags) => {
      const loaded = ctx.load();
      const [{ teardown }, { renderEvents }] = await Promise.all([
        import('../lifecycle/teardown.js'),
        import('./render-events.js'),
      ]);
      const render = await renderEvents(ctx.out, ctx.json);
      // Ctrl-C during terraform destroy lets it finish its step and save its state (src/deploy/forward-interrupts.ts).
      const io = { env: ctx.env, out: ctx.out, verbose: ctx.verbose, interruptible: true };
      const confirmVolumeLoss = (volumes: readonly StackVolume[]) =>
        confirm(ctx, loaded.config, volumes, Boolean(flags.yes));
      let succeeded = false;
      try {
        await teardown(loaded, { io, volumes: Boolean(flags.volumes), confirmVolumeLoss }, render.emit);
        succeeded = true;
      } finally {
        render.finish(succeeded);
      }
    });
}

async function confirm(
  ctx: Context,
  config: ClusterConfig,
  volumes: readonly StackVolume[],
  yes: boolean,
): Promise<void> {
  ctx.out.info(`${ctx.out.bad('This deletes all data of the cluster')} (workflow histories, namespaces, visibility):`);
  for (const v of volumes)
    ctx.out.info(`  ${v.name}${v.sizeBytes !== undefined ? `  ${formatBytes(v.sizeBytes)}` : ''}`);
  await confirmTyped(ctx.out, {
    action: `delete the data volumes of stack ${stackName(config)}`,
    name: config.TEMPORAL_PROJECT,
    nameIs: 'the project name',
    yes,
  });
}
