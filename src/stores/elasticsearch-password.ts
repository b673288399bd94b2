// The password of Elasticsearch's built-in superuser, changed in the running elasticsearch container
// through Elasticsearch's own security API (docker exec + curl against the node's local port, so a
// remote DOCKER_HOST works). Credentials and body reach curl as its config on stdin, from the
// exec's environment: no secret is an argument (which `ps` and the engine's exec record show), and
// only the HTTP status is printed (a response body could echo the request).
import { ELASTIC_PASSWORD_VAR, ELASTICSEARCH_SUPERUSER } from '../config/profile.js';
import type { ClusterConfig } from '../config/schema.js';
import { containerPort } from '../model/service-facts.js';
import { withStackDocker, type Env } from '../docker/client.js';
import { execIn } from '../docker/container-exec.js';
import { runningContainer } from '../docker/containers.js';

/** The exec's variable that carries curl's config (the credentials and the body): never an argument. */
export const CURL_CONFIG_VAR = 'TEMPORAL_CTL_CURL';

/** The sh script run in the container: curl reads its config from the variable and prints the HTTP status only. */
export const CURL_SCRIPT = `printenv ${CURL_CONFIG_VAR} | curl -K - -sS -o /dev/null -w '%{http_code}' "$@"`;

/** A value quoted for curl's config file (backslash escapes inside double quotes). */
const quoted = (v: string): string => `"${v.replace(/[\\"]/g, (m) => `\\${m}`)}"`;

/** curl's config: basic auth as user:password, and a JSON body when there is one. */
export function curlConfig(user: string, password: string, body?: unknown): string {
  const lines = [`user = ${quoted(`${user}:${password}`)}`];
  if (body !== undefined)
    lines.push('header = "Content-Type: application/json"', `data-binary = ${quoted(JSON.stringify(body))}`);
  return `${lines.join('\n')}\n`;
}

/** The exec of one request: sh runs CURL_SCRIPT with method and URL as arguments, curl's config in the env. */
export function curlExec(method: string, url: string, config: string): { cmd: string[]; env: string[] } {
  return { cmd: ['sh', '-c', CURL_SCRIPT, 'sh', '-X', method, url], env: [`${CURL_CONFIG_VAR}=${config}`] };
}

/** The security API's URL inside the container (the node's own HTTP port, from the service model). */
const api = (path: string): string => `http://localhost:${containerPort('elasticsearch', 'http')}/_security/${path}`;

/** One request in the container; resolves with the HTTP status ('' when curl got none). */
async function request(
  c: ClusterConfig,
  env: Env,
  es: { id: string },
  method: string,
  path: string,
  config: string,
): Promise<string> {
  return withStackDocker(c, env, async (docker) => {
    const { cmd, env: vars } = curlExec(method, api(path), config);
    const r = await execIn(docker, es.id, cmd, vars);
    return r.exitCode === 0 ? r.stdout.trim() : '';
  });
}

/** The stack's running elasticsearch container, or undefined. */
export interface RunningElasticsearch {
  readonly id: string;
  readonly name: string;
  /** The container's ELASTIC_PASSWORD: the superuser's password as of its last rotation or first start. */
  readonly password: string;
}

export function runningElasticsearch(c: ClusterConfig, env: Env): Promise<RunningElasticsearch | undefined> {
  return withStackDocker(c, env, async (docker) => {
    const found = await runningContainer(docker, c, 'elasticsearch');
    return found && { id: found.id, name: found.name, password: found.env.get(ELASTIC_PASSWORD_VAR) ?? '' };
  });
}

/** Whether the configured ELASTICSEARCH_PASSWORD logs in already (a rotation run again). */
export async function elasticPasswordCurrent(c: ClusterConfig, env: Env, es: { id: string }): Promise<boolean> {
  const config = curlConfig(ELASTICSEARCH_SUPERUSER, c.ELASTICSEARCH_PASSWORD);
  return (await request(c, env, es, 'GET', '_authenticate', config)) === '200';
}

/**
 * Sets the superuser's password to ELASTICSEARCH_PASSWORD, logging in with the one the container
 * was given (ELASTIC_PASSWORD: what it authenticates with until now). Throws naming the HTTP status.
 */
export async function changeElasticPassword(
  c: ClusterConfig,
  env: Env,
  es: { id: string; name: string; password: string },
): Promise<void> {
  const config = curlConfig(ELASTICSEARCH_SUPERUSER, es.password, { password: c.ELASTICSEARCH_PASSWORD });
  const status = await request(c, env, es, 'POST', `user/${ELASTICSEARCH_SUPERUSER}/_password`, config);
  if (status !== '200')
    throw new Error(
      `changing the password of Elasticsearch user ${ELASTICSEARCH_SUPERUSER} in ${es.name} failed (HTTP ${status || 'no answer'})`,
    );
}
