// What temporal-ctl reads from the process environment: the configuration keys (./schema.ts) and
// their KEY_FILE variants through parseConfig, and the variables below, each read where it is used.
// One declaration of them, so the test suites can keep a developer's own settings out of the runs
// they start (test/support/cli.ts); test/unit/environment.test.ts fails on a read not declared here.
import { schema, type ConfigKey } from './schema.js';
import { fileVariant, SECRET_KEYS } from './secrets.js';

/**
 * setting: chooses what temporal-ctl does or targets, as a config key does. session: describes the
 * user's machine and how they reach the Docker engine (home, terminal, credentials, the terraform
 * they installed), which temporal-ctl follows without choosing anything by it.
 */
export type EnvironmentRole = 'setting' | 'session';

export const ENVIRONMENT: Readonly<Record<string, { readonly role: EnvironmentRole; readonly use: string }>> = {
  TEMPORAL_ENV_FILE: { role: 'setting', use: 'the env file when --env-file is not given (config/load.ts)' },
  DOCKER_HOST: { role: 'setting', use: 'the Docker engine (docker/client.ts; the stack leaves it to the provider)' },
  NO_COLOR: { role: 'setting', use: 'no colour in auto mode (output.ts)' },
  FORCE_COLOR: { role: 'setting', use: 'colour even without a terminal (output.ts)' },
  DOCKER_TLS_VERIFY: { role: 'session', use: 'TLS to a tcp:// engine (docker/client.ts)' },
  DOCKER_TLS: { role: 'session', use: 'TLS to a tcp:// engine (docker/client.ts)' },
  DOCKER_CERT_PATH: { role: 'session', use: "the engine's TLS client certificates (docker/client.ts)" },
  SSH_AUTH_SOCK: { role: 'session', use: 'the ssh agent for an ssh:// engine (docker/client.ts)' },
  DOCKER_SSH_KNOWN_HOSTS: { role: 'session', use: "the ssh:// engine's host keys (docker/known-hosts.ts)" },
  DOCKER_CONFIG: { role: 'session', use: 'registry logins for image pulls (docker/registry-auth.ts)' },
  HOME: { role: 'session', use: 'where ~/.docker is (docker/registry-auth.ts)' },
  TERM: { role: 'session', use: 'a dumb terminal gets no colour (output.ts)' },
  CI: { role: 'session', use: 'a CI runner: no progress drawn in place even on a terminal (output.ts)' },
  TERRAFORM_BINARY_NAME: { role: 'session', use: 'the terraform binary, e.g. tofu (deploy/terraform.ts)' },
};

/** Every variable parseConfig reads from the environment: the schema's keys and the secrets' KEY_FILE variants. */
export const CONFIG_VARIABLES: readonly string[] = [
  ...(Object.keys(schema) as ConfigKey[]),
  ...SECRET_KEYS.map(fileVariant),
];
