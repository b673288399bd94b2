// `stop` and `restart`: containers stopped or restarted in place; volumes untouched.
import { stackName } from '../model/names-and-endpoints.js';
import { parseServices } from './service-args.js';
import type { Call, CommandResult } from './spec.js';

export async function stop({ ctx }: Call): Promise<CommandResult> {
  const { stopStack } = await import('../docker/containers.js');
  const config = ctx.config;
  const stack = stackName(config);
  ctx.out.info(`stopping stack ${stack}...`);
  const stopped = await stopStack(config, ctx.env);
  return {
    document: { stack, stopped },
    text: (out) =>
      out.line(
        stopped.length === 0
          ? `nothing to stop: no container of stack ${stack} is running`
          : `stopped ${stopped.join(', ')} (volumes kept; \`temporal-ctl start\` resumes)`,
      ),
  };
}

export async function restart({ ctx, args }: Call<{ service: string[] }>): Promise<CommandResult> {
  const services = parseServices(args.service);
  const { restartServices } = await import('../docker/containers.js');
  const config = ctx.config;
  const stack = stackName(config);
  ctx.out.info(`restarting ${services.length ? services.join(', ') : `stack ${stack}`}...`);
  const restarted = await restartServices(config, services, ctx.env);
  return {
    document: { stack, restarted },
    text: (out) => out.line(`restarted ${restarted.join(', ')} (\`temporal-ctl status --wait\` waits until healthy)`),
  };
}
