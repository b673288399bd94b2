// `temporal-ctl restore FILE [--yes]`: parses, confirms and renders; src/backup/restore-backup.ts does the work.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { durationFlag } from '../cli/args.js';
import { confirmTyped } from '../cli/confirm.js';
import { formatBytes } from '../bytes.js';
import { stackName } from '../model/names-and-endpoints.js';
import { byteProgress } from './byte-progress.js';
import { example } from './help.js';

interface RestoreFlags {
  yes?: boolean;
  timeout: number;
}

export function registerRestore(program: Command, ctx: Context): void {
  program
    .command('restore')
    .description(
      "restore a backup into this project's cluster (fresh from `start`, or stopped): replaces its databases, updates an older schema, starts it again",
    )
    .argument('<file>', 'a .tctl-backup file written by `temporal-ctl backup`')
    .option('--yes', 'replace databases that hold workflows without asking; needed without a terminal (CI)')
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the cluster to be healthy after the restore')
        .argParser(durationFlag)
        .default(300_000, '300s'),
    )
    .addHelpText(
      'after',
      example(
        'temporal-ctl restore temporal-20261125T190102Z.tctl-backup',
        'temporal-ctl restore ./backup.tctl-backup --yes',
      ),
    )
    .action(async (file: string, flags: RestoreFlags) => {
      const loaded = ctx.load();
      const config = loaded.config;
      const { restore } = await import('../backup/restore-backup.js');
      const progress = byteProgress(ctx.out, ctx.json);
      const result = await restore(loaded, {
        file,
        env: ctx.env,
        interruptible: true,
        timeoutMs: flags.timeout,
        confirmOverwrite: async (workflows) => {
          ctx.out.info(
            `${ctx.out.bad(`The cluster holds ${workflows} workflow executions`)}: the restore replaces them with the backup's`,
          );
          await confirmTyped(ctx.out, {
            action: `replace the databases of stack ${stackName(config)} with ${file}`,
            name: config.TEMPORAL_PROJECT,
            nameIs: 'the project name',
            yes: Boolean(flags.yes),
            untouched: 'nothing was changed',
          });
        },
        onEvent: (e) => {
          if (e.type === 'step') progress.begin(e.text);
          else if (e.type === 'warning') ctx.out.warn(e.text);
          else progress.bytes(e.bytes, e.total);
        },
      });
      const m = result.manifest;
      if (ctx.json) return ctx.out.json({ file, restored: result.restored, ms: result.ms, manifest: m });
      progress.end();
      ctx.out.line(
        `restored ${file} (server ${m.serverVersion}, taken ${m.createdAt}) in ${(result.ms / 1000).toFixed(1)}s: ${result.restored.map((r) => `${r.database} ${formatBytes(r.bytes)}`).join(', ')}`,
      );
      ctx.out.line(`  namespaces back: ${m.namespaces.map((n) => n.name).join(', ')}`);
    });
}
