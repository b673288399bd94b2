// `temporal-ctl restart [service...]`: restarts containers in place; volumes untouched.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { stackName } from '../model/names-and-endpoints.js';
import { example } from './help.js';
import { parseServices } from './service-args.js';

export function registerRestart(program: Command, ctx: Context): void {
  program
    .command('restart')
    .description('restart the containers of some services (default: every long-running service)')
    .argument('[service...]', 'services, e.g. server ui (aliases such as temporal, postgres work)')
    .addHelpText('after', example('temporal-ctl restart server', 'temporal-ctl restart'))
    .action(async (names: string[]) => {
      const services = parseServices(names);
      const { restartServices } = await import('../docker/containers.js');
      const config = ctx.config;
      ctx.out.info(`restarting ${services.length ? services.join(', ') : `stack ${stackName(config)}`}...`);
      const restarted = await restartServices(config, services, ctx.env);
      ctx.out.line(`restarted ${restarted.join(', ')} (\`temporal-ctl status --wait\` waits until healthy)`);
    });
}
