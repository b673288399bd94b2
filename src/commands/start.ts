// `temporal-ctl start [--timeout 300s] [--no-wait] [--apply]`: parses flags and renders the
// lifecycle core's events (src/lifecycle/deploy.ts does the work).
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { example } from './help.js';
import { durationFlag } from '../cli/args.js';
import { runPlannedAction } from './planned-action.js';

interface StartFlags {
  timeout: number;
  wait: boolean;
  apply?: boolean;
  yes?: boolean;
}

export function registerStart(program: Command, ctx: Context): void {
  program
    .command('start')
    .description('deploy the cluster (terraform apply of the CDKTF stack), wait until healthy, print the endpoints')
    .addOption(
      new Option(
        '--timeout <duration>',
        'how long start may take, image pulls, terraform apply and the wait for health together; on timeout it names the slowest service',
      )
        .argParser(durationFlag)
        .default(300_000, '300s'),
    )
    .option('--no-wait', 'return after terraform apply, without waiting for health')
    .option('--apply', 'run terraform apply even when the cluster is already running (to apply config changes)')
    .option('--yes', 'replace PostgreSQL, Elasticsearch or the server without asking when the plan needs it')
    .addHelpText(
      'after',
      example(
        'temporal-ctl start --timeout 10m',
        'temporal-ctl start --env-file ./prod.env --no-wait',
        'temporal-ctl plan && temporal-ctl start --yes',
      ),
    )
    .action((flags: StartFlags) =>
      runPlannedAction(ctx, {
        yes: Boolean(flags.yes),
        refusedHint:
          'nothing was changed; `temporal-ctl start --yes` applies the plan shown above, or undo the change in the config',
        run: async (loaded, io, confirm, emit) => {
          const { deploy } = await import('../lifecycle/deploy.js');
          await deploy(
            loaded,
            { io, wait: flags.wait, timeoutMs: flags.timeout, forceApply: Boolean(flags.apply), confirm },
            emit,
          );
        },
      }),
    );
}
