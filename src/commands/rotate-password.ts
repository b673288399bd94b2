// `temporal-ctl rotate-password [--timeout 300s] [--yes]`: parses flags and renders the events of
// src/lifecycle/rotate.ts. The new password is the configured POSTGRES_PASSWORD (temporal.secrets.env or the
// environment), never a flag: a password on the command line lands in shell history and `ps`.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { durationFlag } from '../cli/args.js';
import { example } from './help.js';
import { runPlannedAction } from './planned-action.js';

interface RotateFlags {
  timeout: number;
  yes?: boolean;
}

export function registerRotatePassword(program: Command, ctx: Context): void {
  program
    .command('rotate-password')
    .description(
      "change the PostgreSQL user's password in the running database to POSTGRES_PASSWORD (set it in temporal.secrets.env or the environment first), then apply it to the schema job and the server; the data and the postgres container stay",
    )
    .addOption(
      new Option('--timeout <duration>', 'how long the apply and the wait for health may take')
        .argParser(durationFlag)
        .default(300_000, '300s'),
    )
    .option('--yes', 'do not ask before changing the password and replacing the server')
    .addHelpText(
      'after',
      example('temporal-ctl rotate-password', 'temporal-ctl rotate-password --env-file ./prod.env --yes'),
    )
    .action((flags: RotateFlags) =>
      runPlannedAction(ctx, {
        yes: Boolean(flags.yes),
        refusedHint:
          'nothing was changed; `temporal-ctl rotate-password --yes` changes the password and applies the plan shown above',
        run: async (loaded, io, confirm, emit) => {
          const { rotatePassword } = await import('../lifecycle/rotate.js');
          await rotatePassword(loaded, { io, timeoutMs: flags.timeout, confirm }, emit);
        },
      }),
    );
}
