// `temporal-ctl backup` and `restore`, through the lifecycle core (src/lifecycle/take-backup.ts,
// restore-backup.ts): their steps are events, rendered as start's are; the answer is the file and its manifest.
import { formatBytes } from '../bytes.js';
import { formatElapsed } from '../config/duration.js';
import { stackName } from '../model/names-and-endpoints.js';
import { confirmTyped } from './confirm.js';
import type { Call, CommandResult } from './spec.js';

export async function backup({ ctx, args, emit }: Call<{ file?: string }>): Promise<CommandResult> {
  const loaded = ctx.load();
  const [{ backup: take }, { notInBackup }] = await Promise.all([
    import('../lifecycle/take-backup.js'),
    import('../backup/contents.js'),
  ]);
  const result = await take(loaded, { file: args.file, env: ctx.env, interruptible: true }, emit);
  const m = result.manifest;
  const left = notInBackup(m);
  if (left) emit({ type: 'warning', message: left });
  return {
    document: { file: result.file, manifest: m },
    text: (out) => {
      out.line(`backup written to ${result.file}`);
      out.line(
        `  ${formatBytes(m.totalBytes)} in ${formatElapsed(m.totalMs)}; server ${m.serverVersion}, ${m.historyShards} history shards, visibility in ${m.visibilityStore}`,
      );
      out.line(`  namespaces: ${m.namespaces.map((n) => n.name).join(', ')}`);
    },
  };
}

interface RestoreFlags {
  yes?: boolean;
  timeout: number;
}

export async function restore({ ctx, args: { file }, flags, emit }: Call<{ file: string }, RestoreFlags>) {
  const loaded = ctx.load();
  const config = loaded.config;
  const { restore: run } = await import('../lifecycle/restore-backup.js');
  const confirmOverwrite = async (workflows: number) => {
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
  };
  const result = await run(
    loaded,
    { file, env: ctx.env, interruptible: true, timeoutMs: flags.timeout, confirmOverwrite },
    emit,
  );
  const m = result.manifest;
  return {
    document: { file, restored: result.restored, ms: result.ms, manifest: m },
    text: (out) => {
      out.line(
        `restored ${file} (server ${m.serverVersion}, taken ${m.createdAt}) in ${formatElapsed(result.ms)}: ${result.restored.map((r) => `${r.database} ${formatBytes(r.bytes)}`).join(', ')}`,
      );
      out.line(`  namespaces back: ${m.namespaces.map((n) => n.name).join(', ')}`);
    },
  } satisfies CommandResult;
}
