// The PostgreSQL role's password, changed in the running postgres container (docker exec, so a
// remote DOCKER_HOST works). The change goes over the container's Unix socket, which the official
// image trusts: no old password is needed. A swarm's task or an external server (POSTGRES_HOST) is
// reached over TCP from a client on the cluster network instead, logged in with the password the
// cluster's server uses now, and psql's \password changes it there. The new password travels only in the exec's
// environment (not its argv, which `ps` and the engine's exec record show), is read into a psql
// variable by psql itself and quoted by psql (`:'pw'`), and is never printed: a failure's output
// is scrubbed of it.
import type { ClusterConfig } from '../config/schema.js';
import { redact } from '../config/secrets.js';
import { execIn, type CommandResult } from '../docker/container-exec.js';
import { containerAddressOf } from '../docker/inspect.js';
import { containerPort } from '../model/service-facts.js';
import { withStackDocker, type DockerApi, type Env } from '../docker/client.js';
import { listWith, runningContainer, stackFilter } from '../docker/containers.js';
import { listStackServices } from '../docker/swarm-services.js';
import { swarmTarget } from '../model/swarm-placement.js';
import { secretEnvPath } from '../model/swarm-secrets.js';
import { stateResources } from '../project/paths.js';
import { OperationError } from '../errors.js';
import { sleep } from '../sleep.js';
import { envListMap } from '../docker/env-list.js';
import { externalPostgres } from '../model/postgres-layout.js';
import { withPostgresOnNetwork } from './postgres-on-network.js';

/** The stack's postgres container, running. */
export interface RunningPostgres {
  readonly id: string;
  readonly name: string;
  /** POSTGRES_USER of the container: the user its data was initialized with. */
  readonly firstUser?: string;
}

/** How long a swarm's PostgreSQL service that should run may take to have its task running. */
const TASK_RUNNING_WITHIN_MS = 90_000;

/** The exec's variable that carries the new password (never an argument). */
const PASSWORD_VAR = 'TEMPORAL_CTL_NEW_PASSWORD';

/**
 * psql's script (stdin of psql, no secret in it): the password from the exec's environment into a
 * psql variable (psql's backquote; `printenv` takes only the variable's name), then ALTER ROLE with
 * psql's own quoting of the role (`:"role"`) and the password (`:'pw'`). The statement text holds
 * the password, so this session does not log statements, whatever the server's settings.
 */
export const ALTER_ROLE_SCRIPT = [
  `\\set pw \`printenv ${PASSWORD_VAR}\``,
  "SET log_statement = 'none';",
  'SET log_min_duration_statement = -1;',
  'ALTER ROLE :"role" PASSWORD :\'pw\';',
].join('\n');

/**
 * Over TCP ($1 the role, then psql's connection arguments): psql's own \password, which reads the
 * new password twice from stdin (no terminal in an exec) and hashes it on the client, so the
 * statement the server runs (and may log) holds the hash only. Setting log_statement needs a
 * superuser, which the role of a managed database seldom is.
 */
const PASSWORD_OVER_TCP = `role="$1"; shift; printf "%s\\n%s\\n" "$${PASSWORD_VAR}" "$${PASSWORD_VAR}" | psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@" -c "\\password \\"$role\\""`;
const ALTER_ROLE_SHELL =
  'printf "%s\\n" "$TEMPORAL_CTL_SCRIPT" | psql -X -q -v ON_ERROR_STOP=1 -v role="$1" -U "$1" -d postgres -f -';

/** The running postgres container of the stack (on a swarm: its task), or undefined. */
export function runningPostgres(c: ClusterConfig, env: Env): Promise<RunningPostgres | undefined> {
  return withStackDocker(c, env, async (docker) => {
    // Whether it runs shows when the client logs in.
    if (externalPostgres(c)) return { id: '', name: `POSTGRES_HOST ${c.POSTGRES_HOST}:${c.POSTGRES_HOST_PORT}` };
    if (swarmTarget(c)) {
      // A service just scaled back (`start` after `stop`) has its task running a moment later.
      const deadline = performance.now() + TASK_RUNNING_WITHIN_MS;
      for (;;) {
        const service = (await listStackServices(docker, stackFilter(c))).find((s) => s.service === 'postgresql');
        const task = (await listWith(docker, c)).find((s) => s.service === 'postgresql' && s.state === 'running');
        if (task && service) return { id: task.id, name: task.name, firstUser: service.env.get('POSTGRES_USER') };
        if (!service?.replicas || performance.now() > deadline) return undefined;
        await sleep(1000);
      }
    }
    const found = await runningContainer(docker, c, 'postgresql');
    return found && { id: found.id, name: found.name, firstUser: found.env.get('POSTGRES_USER') };
  });
}

/** psql as the configured user and password over TCP to the container's network address (the password is checked). */
export function loginWithConfig(c: ClusterConfig, env: Env, pg: RunningPostgres): Promise<CommandResult> {
  return withStackDocker(c, env, async (docker) => {
    if (overNetwork(c)) {
      const r = await withPostgresOnNetwork(
        docker,
        c,
        () => undefined,
        (on) => on.psql('postgres', 'select 1'),
      );
      if (!r) throw new Error(`${pg.name} is gone`);
      return r;
    }
    const address = await containerAddressOf(docker, pg.id);
    if (!address) throw new Error(`${pg.name} has no network address to log in over`);
    return execIn(
      docker,
      pg.id,
      ['psql', '-w', '-X', '-q', '-At', '-h', address, '-p', String(containerPort('postgresql', 'postgres'))].concat([
        '-U',
        c.POSTGRES_USER,
        '-d',
        'postgres',
        '-c',
        'select 1',
      ]),
      [`PGPASSWORD=${c.POSTGRES_PASSWORD}`, 'PGCONNECT_TIMEOUT=10'],
    );
  });
}

/** ALTER ROLE <POSTGRES_USER> PASSWORD <POSTGRES_PASSWORD> over the container's socket; throws with the password scrubbed. */
/** `stateFile`: the project's Terraform state (a swarm's current password may be only there). */
export function alterRolePassword(c: ClusterConfig, env: Env, pg: RunningPostgres, stateFile: string): Promise<void> {
  return withStackDocker(c, env, async (docker) => {
    const r = overNetwork(c)
      ? await alterOverNetwork(docker, c, pg, stateFile)
      : await execIn(
          docker,
          pg.id,
          // The script (no secret in it) reaches psql through a pipe; the role name is sh's $1.
          ['sh', '-c', ALTER_ROLE_SHELL, 'sh', c.POSTGRES_USER],
          [`${PASSWORD_VAR}=${c.POSTGRES_PASSWORD}`, `TEMPORAL_CTL_SCRIPT=${ALTER_ROLE_SCRIPT}`],
        );
    if (r.exitCode !== 0) {
      const said = redact(`${r.stderr}${r.stdout}`.trim(), [c.POSTGRES_PASSWORD]) || `exit code ${r.exitCode}`;
      throw new OperationError(`changing the password of ${c.POSTGRES_USER} in ${pg.name} failed: ${said}`, {
        hint: 'nothing was applied to the cluster; fix the cause and run `temporal-ctl rotate-password` again',
      });
    }
  });
}

/** A swarm's task or an external server: no socket of this engine's to trust. */
const overNetwork = (c: ClusterConfig): boolean => swarmTarget(c) || externalPostgres(c);

/** The password changed over TCP, logged in with the one the cluster's server uses now, which the new one replaces. */
async function alterOverNetwork(
  docker: DockerApi,
  c: ClusterConfig,
  pg: RunningPostgres,
  stateFile: string,
): Promise<CommandResult> {
  const current = await deployedPassword(docker, c, stateFile);
  if (current === undefined)
    throw new OperationError(
      `no server of the stack names the password ${pg.name} has now, so it cannot be changed from here`,
      { hint: 'start the cluster with the password it has, then run `temporal-ctl rotate-password`' },
    );
  const r = await withPostgresOnNetwork(
    docker,
    c,
    () => undefined,
    (on) =>
      execIn(
        docker,
        on.login.containerId,
        ['sh', '-c', PASSWORD_OVER_TCP, 'sh', c.POSTGRES_USER, ...on.login.args],
        [...on.login.env, `${PASSWORD_VAR}=${c.POSTGRES_PASSWORD}`],
      ),
    current,
  );
  if (!r) throw new Error(`${pg.name} is gone`);
  return r;
}

/**
 * POSTGRES_PWD of the stack's server (or role) containers, or of its swarm services: what the
 * cluster logs in with now. A swarm service holding it as a secret (src/model/swarm-secrets.ts)
 * names the secret; its data is in the Terraform state, since the swarm never hands it back.
 */
async function deployedPassword(docker: DockerApi, c: ClusterConfig, stateFile: string): Promise<string | undefined> {
  if (swarmTarget(c)) {
    const services = await listStackServices(docker, stackFilter(c));
    const inEnv = services.map((s) => s.env.get('POSTGRES_PWD')).find((p) => p !== undefined);
    if (inEnv !== undefined) return inEnv;
    const secretName = services.flatMap((s) => s.secrets).find((f) => f.file === secretEnvPath('POSTGRES_PWD'))?.name;
    return secretName === undefined ? undefined : stateSecretData(stateFile, secretName);
  }
  for (const row of await listWith(docker, c)) {
    const password = envListMap((await docker.getContainer(row.id).inspect()).Config.Env ?? []).get('POSTGRES_PWD');
    if (password !== undefined) return password;
  }
  return undefined;
}

/** The data of the swarm secret `name` as the Terraform state records it (base64 there). */
function stateSecretData(stateFile: string, name: string): string | undefined {
  for (const r of stateResources(stateFile))
    for (const i of r.type === 'docker_secret' ? (r.instances ?? []) : []) {
      const a = i.attributes as { name?: string; data?: string } | undefined;
      if (a?.name === name && a.data !== undefined) return Buffer.from(a.data, 'base64').toString('utf8');
    }
  return undefined;
}
