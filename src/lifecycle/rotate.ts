// `rotate-password`'s work: the PostgreSQL role's password changed in the running database to the
// configured POSTGRES_PASSWORD (and, with Elasticsearch security on, the elastic user's to
// ELASTICSEARCH_PASSWORD through its security API), then the config applied so the schema job and
// the server use them. Order: check, plan and confirm (nothing changed yet), ALTER ROLE, the
// Elasticsearch change, apply exactly that plan, wait until healthy. The postgres container is not
// replaced (its env counts only at initdb: the stack ignores changes to it); elasticsearch is (its
// ELASTIC_PASSWORD is the new one then too, and its data volume stays).
import { containerName } from '../model/names-and-endpoints.js';
import { redact } from '../config/secrets.js';
import type { LoadedConfig } from '../project/load.js';
import { DataConflictError, OperationError } from '../errors.js';
import { deploy, type DeployOptions } from './deploy.js';
import type { Emit } from './events.js';
import type { Env } from '../docker/client.js';
import type { RunningPostgres } from '../stores/postgres-role.js';
import type { RunningElasticsearch } from '../stores/elasticsearch-password.js';
import { ELASTICSEARCH_SUPERUSER, elasticsearchSecurity } from '../config/profile.js';
import type { ClusterConfig } from '../config/schema.js';
import { enabledServices } from '../model/service-facts.js';

export type RotateOptions = Omit<DeployOptions, 'forceApply' | 'planned' | 'wait'>;

export async function rotatePassword(loaded: LoadedConfig, options: RotateOptions, emit: Emit): Promise<void> {
  const c = loaded.config;
  const env = options.io.env;
  const { pg, current } = await rotatable(loaded, env, emit);
  const es = await elasticRotation(c, env);
  const { planStack, guardPlan } = await import('./plan-and-guard.js');
  const planned = await planStack(loaded, options.io, emit);
  const changes = [
    ...(current ? [] : [`the password of role ${c.POSTGRES_USER} in ${pg.name}`]),
    ...(es && !es.current ? [`the password of Elasticsearch user ${ELASTICSEARCH_SUPERUSER} in ${es.name}`] : []),
  ];
  const rotation = changes.length ? `change ${changes.join(' and ')}` : 'apply the configured passwords';
  // One question: with the plan's disruptive replacements when there are any, else before the first change.
  let asked = false;
  const confirmOnce = async (action?: string) => {
    if (asked) return;
    asked = true;
    await options.confirm(action ? `${rotation} and ${action}` : rotation);
  };
  await guardPlan(c, planned.plan, confirmOnce, emit);
  if (!current) {
    await confirmOnce();
    const [{ alterRolePassword }, { projectPaths }] = await Promise.all([
      import('../stores/postgres-role.js'),
      import('../project/paths.js'),
    ]);
    await alterRolePassword(c, env, pg, projectPaths(c, loaded.projectDir).stateFile);
  }
  emit(
    current
      ? { type: 'password-current', role: c.POSTGRES_USER, container: pg.name }
      : { type: 'password-rotated', role: c.POSTGRES_USER, container: pg.name, via: 'ALTER ROLE' },
  );
  if (es) {
    if (!es.current) {
      await confirmOnce();
      const { changeElasticPassword } = await import('../stores/elasticsearch-password.js');
      await changeElasticPassword(c, env, es);
    }
    emit(
      es.current
        ? { type: 'password-current', role: ELASTICSEARCH_SUPERUSER, container: es.name }
        : { type: 'password-rotated', role: ELASTICSEARCH_SUPERUSER, container: es.name, via: 'security API' },
    );
  }
  // Applies the plan shown above; start's own data check now logs in with the new password.
  await deploy(loaded, { ...options, wait: true, forceApply: true, planned }, emit);
}

/**
 * The Elasticsearch half, with its security on (production): the running node, and whether the
 * configured password logs in already (a rotation run again). Undefined when security is off.
 */
async function elasticRotation(
  c: ClusterConfig,
  env: Env,
): Promise<(RunningElasticsearch & { readonly current: boolean }) | undefined> {
  if (!elasticsearchSecurity(c) || !enabledServices(c).includes('elasticsearch')) return undefined;
  const { runningElasticsearch, elasticPasswordCurrent } = await import('../stores/elasticsearch-password.js');
  const es = await runningElasticsearch(c, env);
  if (!es)
    throw new OperationError(
      `${containerName(c, 'elasticsearch')} is not running: rotate-password changes the password in the running node`,
      {
        hint: 'start the cluster with the passwords it has, then set the new ones and run `temporal-ctl rotate-password`',
      },
    );
  return { ...es, current: await elasticPasswordCurrent(c, env, es) };
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
  const [{ startStack }, { runningPostgres, loginWithConfig }, { loginOutcome }] = await Promise.all([
    import('../docker/containers.js'),
    import('../stores/postgres-role.js'),
    import('../stores/postgres-guards.js'),
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
    throw new OperationError(`could not log in to ${pg.name}: ${redact(login.stderr.trim(), [c.POSTGRES_PASSWORD])}`);
  // The other data checks (facts, major version) before anything changes; the credentials are the point.
  const { preflightData } = await import('./preflight-data.js');
  await preflightData(loaded, env, emit, { credentials: false });
  return { pg, current: outcome === 'ok' };
}
