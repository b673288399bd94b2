// On a swarm nothing secret is in a service's environment, which `docker service inspect` shows to
// whoever can reach the manager: a variable holding a secret setting's value (a password) goes into
// a swarm secret instead, mounted as a file named after the variable, and the task starts through a
// shell that exports each such file as its variable before it runs the image's own command. The
// images then see the same variables as on one host, whether or not they read `_FILE` variables.
import { SECRET_KEYS } from '../config/secrets.js';
import { schema, type ClusterConfig, type ConfigKey } from '../config/schema.js';

/** Where a task finds its secret variables, one file per variable. */
export const SECRET_ENV_DIR = '/run/secrets/env';

/** The file that holds a secret variable in the task. */
export const secretEnvPath = (variable: string): string => `${SECRET_ENV_DIR}/${variable}`;

/** Each file of SECRET_ENV_DIR as the variable of its name, then the command given as arguments. */
export const ENV_FROM_SECRETS = `for f in ${SECRET_ENV_DIR}/*; do [ -f "$f" ] && export "\${f##*/}=$(cat "$f")"; done; exec "$@"`;

/**
 * The values that make a variable secret: every secret setting's, unless empty or also the value of
 * a setting that is no secret (development's password `temporal` is also its user's name).
 */
export function secretValues(c: ClusterConfig): ReadonlySet<string> {
  const plain = new Set(
    (Object.keys(schema) as ConfigKey[]).filter((k) => !SECRET_KEYS.includes(k)).map((k) => String(c[k])),
  );
  return new Set(SECRET_KEYS.map((k) => String(c[k])).filter((v) => v !== '' && !plain.has(v)));
}

/** A service's environment split into what stays in it and what becomes swarm secrets. */
export function splitSecretEnvironment(
  environment: Readonly<Record<string, string>>,
  secrets: ReadonlySet<string>,
): { readonly plain: Record<string, string>; readonly secret: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [k, v] of Object.entries(environment)) (secrets.has(v) ? secret : plain)[k] = v;
  return { plain, secret };
}
