// `scale ROLE=N ...` (TEMPORAL_TOPOLOGY=roles): the new replica counts are planned, guarded and
// applied exactly as `start` applies a config edit, then recorded in temporal.env so the next start
// keeps them. A removed instance's container is stopped with a grace period (the server drains:
// its shards and task queues move to the others); the history shards' owners are shown before and after.
import { setEnvFileKeys } from '../config/env-file-edit.js';
import type { ClusterConfig } from '../config/schema.js';
import { ConfigError, UsageError } from '../errors.js';
import { ROLE_FACTS, rolesTopology, SERVER_ROLES, type ServerRole } from '../model/server-roles.js';
import { DEFAULT_ENV_FILE, loadConfig, type LoadedConfig } from '../project/load.js';
import type { ExecIO } from '../deploy/exec.js';
import type { Emit } from './events.js';
import type { Confirm } from './plan-and-guard.js';
import { join } from 'node:path';

export interface ScaleOptions {
  readonly io: ExecIO;
  /** The new count per role; roles left out keep theirs. */
  readonly counts: Readonly<Partial<Record<ServerRole, number>>>;
  /** Show the plan; change nothing. */
  readonly dryRun: boolean;
  readonly timeoutMs: number;
  readonly confirm: Confirm;
}

/** `history=3` -> ['history', 3]; anything else is a usage error naming the form. */
export function parseRoleCount(text: string): [ServerRole, string] {
  const m = /^([a-z-]+)=(.*)$/.exec(text);
  const role = m?.[1] as ServerRole | undefined;
  if (!m || !role || !(SERVER_ROLES as readonly string[]).includes(role))
    throw new UsageError(`"${text}" is not ROLE=COUNT; use one of ${SERVER_ROLES.map((r) => `${r}=N`).join(', ')}`);
  return [role, m[2]!];
}

export async function scale(loaded: LoadedConfig, options: ScaleOptions, emit: Emit): Promise<void> {
  const c = loaded.config;
  if (!rolesTopology(c))
    throw new ConfigError(
      [
        'TEMPORAL_TOPOLOGY: scale needs TEMPORAL_TOPOLOGY=roles (one server container has no replicas); set it in temporal.env and run `temporal-ctl start`, which shows the plan',
      ],
      loaded.envFile ?? 'configuration',
    );
  const values = Object.fromEntries(
    Object.entries(options.counts).map(([role, n]) => [ROLE_FACTS[role as ServerRole].replicasKey, String(n)]),
  );
  // A count set in the environment or by a flag wins over temporal.env: the recorded one would not hold.
  const overridden = Object.keys(values).filter((k) =>
    ['environment', 'flag'].includes(loaded.origins[k as keyof ClusterConfig]),
  );
  if (overridden.length)
    throw new UsageError(
      `${overridden.join(', ')} ${overridden.length === 1 ? 'is' : 'are'} set in the environment or by a flag, which wins over temporal.env; unset ${overridden.length === 1 ? 'it' : 'them'} and scale again, or change ${overridden.length === 1 ? 'it' : 'them'} there and run \`temporal-ctl start\``,
    );
  // The same load as the command's, with the new counts as flags (their values are checked like any key's).
  const next = loadConfig({
    envFile: loaded.envFile,
    flags: { ...values, TEMPORAL_PROFILE: c.TEMPORAL_PROFILE },
    env: options.io.env,
    cwd: loaded.projectDir,
  });
  const counts = Object.fromEntries(SERVER_ROLES.map((r) => [r, next.config[ROLE_FACTS[r].replicasKey]]));
  emit({ type: 'shard-owners', when: 'before', owners: await shardOwners(c, options) });
  if (options.dryRun) {
    const { planStack } = await import('./plan-and-guard.js');
    const planned = await planStack(next, options.io, emit);
    const { rmSync } = await import('node:fs');
    rmSync(planned.planFile, { force: true });
    emit({ type: 'scaled', counts, dryRun: true });
    return;
  }
  const { deploy } = await import('./deploy.js');
  await deploy(
    next,
    { io: options.io, wait: true, timeoutMs: options.timeoutMs, forceApply: false, confirm: options.confirm },
    emit,
  );
  const file = loaded.envFile ?? join(loaded.projectDir, DEFAULT_ENV_FILE);
  setEnvFileKeys(file, values, `set by temporal-ctl scale on ${new Date().toISOString()}`);
  emit({ type: 'shard-owners', when: 'after', owners: await shardOwners(next.config, options) });
  emit({ type: 'scaled', counts, dryRun: false, recordedIn: file });
}

/** History instance -> the shards it owns, as the server reports them now; {} when the ring cannot be read. */
async function shardOwners(c: ClusterConfig, options: ScaleOptions): Promise<Record<string, number[]>> {
  const { collectStatus } = await import('../probes/collect.js');
  const status = await collectStatus(c, { env: options.io.env, namespace: false });
  const history = status.ring?.roles.find((r) => r.role === 'history')?.members ?? [];
  return Object.fromEntries(history.flatMap((m) => (m.instance ? [[m.instance, [...(m.shards ?? [])]]] : [])));
}
