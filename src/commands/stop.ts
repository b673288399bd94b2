// `temporal-ctl stop`: stops the containers and keeps every volume.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { stackName } from '../model/names-and-endpoints.js';
import { example } from './help.js';

export function registerStop(program: Command, ctx: Context): void {
  program
    .command('stop')
    .description('stop every container of the cluster; volumes (the data) are kept, `start` resumes')
    .addHelpText('after', example('temporal-ctl stop --env-file ./temporal.env'))
    .action(async () => {
      const { stopStack } = await import('../docker/containers.js');
      const config = ctx.config;
      ctx.out.info(`stopping stack ${stackName(config)}...`);
      const stopped = await stopStack(config, ctx.env);
      ctx.out.line(
        stopped.length === 0
          ? `nothing to stop: no container of stack ${stackName(config)} is running`
          : `stopped ${stopped.join(', ')} (volumes kept; \`temporal-ctl start\` resumes)`,
      );
    });
}
