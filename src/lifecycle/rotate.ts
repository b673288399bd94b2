// `rotate-password`'s work: the PostgreSQL role's password changed in the running database to the
// configured POSTGRES_PASSWORD, then the config applied so the schema job and the server use it.
// Order: check, plan and confirm (nothing changed yet), ALTER ROLE, apply exactly that plan, wait
// until healthy. The postgres container is not replaced (its env counts only at initdb: the stack
// ignores changes to it), so only the server's replacement interrupts the cluster.
import { containerName } from '../config/derive.js';
import type { LoadedConfig } from '../config/load.js';
import { DataConflictError, OperationError } from '../errors.js';
import { deploy, type DeployOptions } from './deploy.js';
import type { Emit } from './events.js';
import type { Env } from '../docker/client.js';
import type { RunningPostgres } from '../docker/postgres-role.js';

export type RotateOptions = Omit<DeployOptions, 'forceApply' | 'planned' | 'wait'>;

export async function rotatePassword(loaded: LoadedConfig, options: RotateOptions, emit: Emit): Promise<void> {
  const c = loaded.config;
  const env = options.io.env;
  const { pg, current } = await rotatable(loaded, env, emit);
  const { planStack, guardPlan } = await import('./plan.js');
  const planned = await planStack(loaded, options.io, emit);
  const rotation = `change the password of role ${c.POSTGRES_USER} in ${pg.name}`;
  let asked = false;
  const confirmBoth = (action: string) => {
    asked = true;
    return options.confirm(`${rotation} and ${action}`);
  };
  await guardPlan(c, planned.plan, confirmBoth, emit);
  if (!current) {
    if (!asked) await options.confirm(rotation);
    const { alterRolePassword } = await import('../docker/postgres-role.js');
    await alterRolePassword(c, env, pg);
  }
  emit({ type: current ? 'password-current' : 'password-rotated', role: c.POSTGRES_USER, container: pg.name });
  // Applies the plan shown above; start's own data check now logs in with the new password.
  await deploy(loaded, { ...options, wait: true, forceApply: true, planned }, emit);
}

/**
 * What must hold before anything changes: the postgres container runs (a stopped cluster is
 * resumed, on its old password), POSTGRES_USER is the data's, and start's other data checks pass.
 * `current`: the database already has the configured password (a rotation run again).
 */
async function rotatable(
  loaded: LoadedConfig,
  env: Env,
  emit: Emit,
): Promise<{ readonly pg: RunningPostgres; readonly current: boolean }> {
  const c = loaded.config;
  const [{ startStack }, { runningPostgres, loginWithConfig, scrub }, { loginOutcome }] = await Promise.all([
    import('../docker/containers.js'),
    import('../docker/postgres-role.js'),
    import('../preflight/postgres-guards.js'),
  ]);
  const resumed = await startStack(c, env);
  if (resumed.length) emit({ type: 'resumed', containers: resumed });
  const pg = await runningPostgres(c, env);
  if (!pg)
    throw new OperationError(
      `${containerName(c, 'postgresql')} is not running: rotate-password changes the password in the running database`,
      {
        hint: 'start the cluster with the password it has (the old POSTGRES_PASSWORD), then set the new one in temporal.secrets.env (or the environment) and run `temporal-ctl rotate-password`',
      },
    );
  if (pg.firstUser !== undefined && pg.firstUser !== c.POSTGRES_USER)
    throw new DataConflictError(
      `POSTGRES_USER changed from ${pg.firstUser} to ${c.POSTGRES_USER}: rotate-password changes the password of the existing user, not the user; nothing was changed`,
      { hint: `set POSTGRES_USER back to ${pg.firstUser}` },
    );
  const login = await loginWithConfig(c, env, pg);
  const outcome = loginOutcome(login);
  if (outcome === 'unknown')
    throw new OperationError(`could not log in to ${pg.name}: ${scrub(login.stderr.trim(), c.POSTGRES_PASSWORD)}`);
  // The other data checks (facts, major version) before anything changes; the credentials are the point.
  const { preflightData } = await import('./preflight-data.js');
  await preflightData(loaded, env, emit, { credentials: false });
  return { pg, current: outcome === 'ok' };
}
