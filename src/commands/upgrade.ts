// `temporal-ctl upgrade [--to VERSION] [--chain] [--dry-run] [--no-backup] [--yes]`: parses flags and
// renders the events of src/lifecycle/upgrade-server.ts, as start does (text, live progress, -o json).
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { durationFlag } from '../cli/args.js';
import { example } from './help.js';
import { runPlannedAction } from './planned-action.js';

interface UpgradeFlags {
  to?: string;
  chain?: boolean;
  dryRun?: boolean;
  backup: boolean;
  backupFile?: string;
  timeout: number;
  yes?: boolean;
}

export function registerUpgrade(program: Command, ctx: Context): void {
  program
    .command('upgrade')
    .description(
      'upgrade the running Temporal server one minor at a time: backup, schema job on the new admin-tools, then the server; records the release in temporal.env',
    )
    .option('--to <version>', 'the server release to reach (default: TEMPORAL_VERSION)')
    .option('--chain', 'when --to is more than one minor ahead, run every step of the chain one after another')
    .option('--dry-run', 'show the chain and the plan of the first step; change nothing')
    .option('--no-backup', 'do not take a backup first (there is then nothing to roll back to)')
    .option('--backup-file <file>', 'where the backup goes (default <project>-<UTC timestamp>.tctl-backup)')
    .addOption(
      new Option('--timeout <duration>', "how long each step's apply and wait for health may take")
        .argParser(durationFlag)
        .default(600_000, '600s'),
    )
    .option('--yes', 'replace the server and admin-tools without asking; needed without a terminal (CI)')
    .addHelpText(
      'after',
      example(
        'temporal-ctl upgrade --to 1.32.2 --dry-run',
        'temporal-ctl upgrade --to 1.32.2 --yes',
        'temporal-ctl upgrade --to 1.32.2 --chain --backup-file ./before-upgrade.tctl-backup',
      ),
    )
    .action((flags: UpgradeFlags) =>
      runPlannedAction(ctx, {
        yes: Boolean(flags.yes),
        refusedHint: 'nothing was changed; `temporal-ctl upgrade --yes` runs the upgrade shown above',
        run: async (loaded, io, confirm, emit) => {
          const { upgrade } = await import('../lifecycle/upgrade-server.js');
          await upgrade(
            loaded,
            {
              io,
              to: flags.to,
              chain: Boolean(flags.chain),
              dryRun: Boolean(flags.dryRun),
              backup: flags.backup ? { file: flags.backupFile } : false,
              timeoutMs: flags.timeout,
              confirm,
            },
            emit,
          );
        },
      }),
    );
}
