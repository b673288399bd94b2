// `temporal-ctl backup [FILE]`: parses and renders; src/backup/write-backup.ts does the work.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { formatBytes } from '../bytes.js';
import { example } from './help.js';
import { byteProgress } from './byte-progress.js';

export function registerBackup(program: Command, ctx: Context): void {
  program
    .command('backup')
    .description(
      'dump the persistence (and SQL visibility) database of the running cluster into one file with a manifest, through the Docker engine',
    )
    .argument('[file]', 'where to write; default <project>-<UTC timestamp>.tctl-backup in the working directory')
    .addHelpText('after', example('temporal-ctl backup', 'temporal-ctl backup ./backups/before-upgrade.tctl-backup'))
    .action(async (file: string | undefined) => {
      const loaded = ctx.load();
      const { backup, notInBackup } = await import('../backup/write-backup.js');
      const progress = byteProgress(ctx.out, ctx.json);
      const result = await backup(loaded, {
        file,
        env: ctx.env,
        interruptible: true,
        onEvent: (e) => {
          if (e.type === 'database') progress.begin(`dumping ${e.role} database ${e.name}`);
          else if (e.type === 'bytes') progress.bytes(e.bytes);
          else
            progress.end(
              `dumped ${e.database.name}: ${formatBytes(e.database.bytes)} in ${(e.database.ms / 1000).toFixed(1)}s`,
            );
        },
      });
      const m = result.manifest;
      if (ctx.json) return ctx.out.json({ file: result.file, manifest: m });
      ctx.out.line(`backup written to ${result.file}`);
      ctx.out.line(
        `  ${formatBytes(m.totalBytes)} in ${(m.totalMs / 1000).toFixed(1)}s; server ${m.serverVersion}, ${m.historyShards} history shards, visibility in ${m.visibilityStore}`,
      );
      ctx.out.line(`  namespaces: ${m.namespaces.map((n) => n.name).join(', ')}`);
      const left = notInBackup(m);
      if (left) ctx.out.line(`  ${left}`);
    });
}
