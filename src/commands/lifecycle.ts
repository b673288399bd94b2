// The commands that change the cluster through the lifecycle core (src/lifecycle/): each loads the
// config, hands the core its events' renderer and a confirmation, and returns nothing of its own.
import { formatBytes } from '../bytes.js';
import { stackName } from '../model/names-and-endpoints.js';
import type { LoadedConfig } from '../project/load.js';
import type { StackVolume } from '../docker/containers.js';
import type { Confirm } from '../lifecycle/plan-and-guard.js';
import { confirmTyped } from './confirm.js';
import type { Context } from './context.js';
import type { Call } from './spec.js';

/** Ctrl-C during terraform lets it finish its step and save its state (src/deploy/interrupt.ts). */
const io = (ctx: Context) => ({ env: ctx.env, out: ctx.out, verbose: ctx.verbose, interruptible: true });

/** Asks before a disruptive plan: type the project name, or --yes. `instead`: the refusal's hint. */
function planConfirmation(ctx: Context, loaded: LoadedConfig, yes: boolean, instead: string): Confirm {
  return (what) =>
    confirmTyped(ctx.out, {
      action: what,
      name: loaded.config.TEMPORAL_PROJECT,
      nameIs: 'the project name',
      yes,
      untouched: 'nothing was changed',
      hint: `nothing was changed; \`${instead}\` applies the plan shown above, or undo the change in the config`,
    });
}

interface StartFlags {
  timeout: number;
  wait: boolean;
  apply?: boolean;
  yes?: boolean;
}

export async function start({ ctx, flags, emit }: Call<object, StartFlags>): Promise<undefined> {
  const loaded = ctx.load();
  const { deploy } = await import('../lifecycle/deploy.js');
  const confirm = planConfirmation(ctx, loaded, Boolean(flags.yes), 'temporal-ctl start --yes');
  await deploy(
    loaded,
    { io: io(ctx), wait: flags.wait, timeoutMs: flags.timeout, forceApply: Boolean(flags.apply), confirm },
    emit,
  );
  return undefined;
}

interface UpgradeFlags {
  to?: string;
  chain?: boolean;
  dryRun?: boolean;
  backup: boolean;
  backupFile?: string;
  timeout: number;
  yes?: boolean;
}

export async function upgrade({ ctx, flags, emit }: Call<object, UpgradeFlags>): Promise<undefined> {
  const loaded = ctx.load();
  const { upgrade: run } = await import('../lifecycle/upgrade-server.js');
  const confirm = planConfirmation(ctx, loaded, Boolean(flags.yes), 'temporal-ctl upgrade --yes');
  await run(
    loaded,
    {
      io: io(ctx),
      to: flags.to,
      chain: Boolean(flags.chain),
      dryRun: Boolean(flags.dryRun),
      backup: flags.backup ? { file: flags.backupFile } : false,
      timeoutMs: flags.timeout,
      confirm,
    },
    emit,
  );
  return undefined;
}

interface ScaleFlags {
  dryRun?: boolean;
  timeout: number;
  yes?: boolean;
}

export async function scale({
  ctx,
  args,
  flags,
  emit,
}: Call<{ 'role=count': string[] }, ScaleFlags>): Promise<undefined> {
  const loaded = ctx.load();
  const { scale: run, parseRoleCount } = await import('../lifecycle/scale.js');
  const counts = Object.fromEntries(args['role=count'].map(parseRoleCount));
  const confirm = planConfirmation(ctx, loaded, Boolean(flags.yes), 'temporal-ctl scale --yes');
  await run(loaded, { io: io(ctx), counts, dryRun: Boolean(flags.dryRun), timeoutMs: flags.timeout, confirm }, emit);
  return undefined;
}

/** The new password is the configured POSTGRES_PASSWORD, never a flag: shell history and `ps` would keep it. */
export async function rotatePassword({ ctx, flags, emit }: Call<object, { timeout: number; yes?: boolean }>) {
  const loaded = ctx.load();
  const { rotatePassword: run } = await import('../lifecycle/rotate.js');
  const confirm = planConfirmation(ctx, loaded, Boolean(flags.yes), 'temporal-ctl rotate-password --yes');
  await run(loaded, { io: io(ctx), timeoutMs: flags.timeout, confirm }, emit);
  return undefined;
}

/** Data goes only with --volumes and a typed project name (or --yes). */
export async function down({ ctx, flags, emit }: Call<object, { volumes?: boolean; yes?: boolean }>) {
  const loaded = ctx.load();
  const { teardown } = await import('../lifecycle/teardown.js');
  const confirmVolumeLoss = async (volumes: readonly StackVolume[]) => {
    ctx.out.info(
      `${ctx.out.bad('This deletes all data of the cluster')} (workflow histories, namespaces, visibility):`,
    );
    for (const v of volumes)
      ctx.out.info(`  ${v.name}${v.sizeBytes !== undefined ? `  ${formatBytes(v.sizeBytes)}` : ''}`);
    await confirmTyped(ctx.out, {
      action: `delete the data volumes of stack ${stackName(loaded.config)}`,
      name: loaded.config.TEMPORAL_PROJECT,
      nameIs: 'the project name',
      yes: Boolean(flags.yes),
    });
  };
  await teardown(loaded, { io: io(ctx), volumes: Boolean(flags.volumes), confirmVolumeLoss }, emit);
  return undefined;
}
