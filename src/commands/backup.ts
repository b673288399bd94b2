// `temporal-ctl backup` and `restore`: byte progress on stderr and the result; src/backup/ does the work.
import { formatBytes } from '../bytes.js';
import { stackName } from '../model/names-and-endpoints.js';
import { formatElapsed } from '../config/duration.js';
import { byteProgress } from './byte-progress.js';
import { confirmTyped } from './confirm.js';
import type { Call, CommandResult } from './spec.js';

interface RestoreFlags {
  yes?: boolean;
  timeout: number;
}

export async function backup({ ctx, args }: Call<{ file?: string }>): Promise<CommandResult> {
  const loaded = ctx.load();
  const { backup: run, notInBackup } = await import('../backup/write-backup.js');
  const progress = byteProgress(ctx.out, ctx.json);
  const result = await run(loaded, {
    file: args.file,
    env: ctx.env,
    interruptible: true,
    onEvent: (e) => {
      if (e.type === 'database') progress.begin(`dumping ${e.role} database ${e.name}`);
      else if (e.type === 'bytes') progress.bytes(e.bytes);
      else
        progress.end(`dumped ${e.database.name}: ${formatBytes(e.database.bytes)} in ${formatElapsed(e.database.ms)}`);
    },
  });
  const m = result.manifest;
  return {
    document: { file: result.file, manifest: m },
    text: (out) => {
      out.line(`backup written to ${result.file}`);
      out.line(
        `  ${formatBytes(m.totalBytes)} in ${formatElapsed(m.totalMs)}; server ${m.serverVersion}, ${m.historyShards} history shards, visibility in ${m.visibilityStore}`,
      );
      out.line(`  namespaces: ${m.namespaces.map((n) => n.name).join(', ')}`);
      const left = notInBackup(m);
      if (left) out.line(`  ${left}`);
    },
  };
}

export async function restore({
  ctx,
  args: { file },
  flags,
}: Call<{ file: string }, RestoreFlags>): Promise<CommandResult> {
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
  progress.end();
  return {
    document: { file, restored: result.restored, ms: result.ms, manifest: m },
    text: (out) => {
      out.line(
        `restored ${file} (server ${m.serverVersion}, taken ${m.createdAt}) in ${formatElapsed(result.ms)}: ${result.restored.map((r) => `${r.database} ${formatBytes(r.bytes)}`).join(', ')}`,
      );
      out.line(`  namespaces back: ${m.namespaces.map((n) => n.name).join(', ')}`);
    },
  };
}
