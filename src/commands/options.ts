// Options and arguments that several commands take, declared once. Flag names follow Temporal's
// CLI where users know them (--address, --tls-cert-path, -n/--namespace, -y/--yes).
import { SERVICES, SERVICE_ALIASES } from '../model/service-facts.js';
import type { ArgSpec, OptionSpec } from './spec.js';
import { collectData, parseExistingName, parseRetention } from './namespace-options.js';
import { durationFlag } from './option-parsers.js';

/** The program's own options, accepted before or after any command. */
export const globalOptions: readonly OptionSpec[] = [
  {
    flags: '--env-file <path>',
    description: 'config file in dotenv syntax',
    default: { value: undefined, text: './temporal.env' },
  },
  { flags: '--profile <name>', description: 'development or production (TEMPORAL_PROFILE)' },
  {
    flags: '-o, --output <format>',
    description: 'text, or one JSON document on stdout (JSON Lines for streams), also for failures',
    choices: ['text', 'json'],
    default: { value: 'text', text: 'text' },
  },
  { flags: '--json', description: 'alias of --output json', implies: { output: 'json' } },
  { flags: '-v, --verbose', description: 'show stack traces and the external commands run' },
  {
    flags: '--color <mode>',
    description: 'colour output (auto honours NO_COLOR, FORCE_COLOR and TERM=dumb)',
    choices: ['auto', 'always', 'never'],
    default: { value: 'auto', text: 'auto' },
  },
];

/** Confirms a destructive step without asking; required without a terminal (CI, a pipe). */
export const yes: OptionSpec = {
  flags: '-y, --yes',
  description: 'do not ask for confirmation; required when stdin is not a terminal',
};

/** How long a cluster operation may take in all (pulls, terraform, the wait for health). */
export function timeout(what: string, text: '5m' | '10m' = '5m'): OptionSpec {
  const value = durationFlag(text);
  return { flags: '--timeout <duration>', description: what, parse: durationFlag, default: { value, text } };
}

/** How to reach the frontend, as Temporal's CLI names the flags; each sets its config key. */
export const connection: readonly OptionSpec[] = [
  { flags: '--address <host:port>', description: 'frontend gRPC address', configKey: 'TEMPORAL_ADDRESS' },
  {
    flags: '--tls-cert-path <path>',
    description: 'client certificate for mTLS',
    configKey: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  },
  { flags: '--tls-key-path <path>', description: 'client key for mTLS', configKey: 'TEMPORAL_TLS_CLIENT_KEY_PATH' },
  {
    flags: '--tls-ca-path <path>',
    description: "the server's CA certificate",
    configKey: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  },
  { flags: '--tls-server-name <name>', description: 'server name to verify', configKey: 'TEMPORAL_TLS_SERVER_NAME' },
  { flags: '--api-key <key>', description: 'API key sent as a bearer token', configKey: 'TEMPORAL_API_KEY' },
];

/** -n/--namespace: the namespace a command acts on, instead of its argument. */
export const namespaceFlag: OptionSpec = {
  flags: '-n, --namespace <name>',
  description: 'namespace name (instead of the argument)',
  parse: parseExistingName,
  configKey: 'TEMPORAL_NAMESPACE',
};

/** What `namespace create` and `namespace update` may set. */
export const namespaceInfo: readonly OptionSpec[] = [
  {
    flags: '--retention <duration>',
    description: 'how long closed workflows are kept, e.g. 72h, 7d (at least 1d)',
    parse: parseRetention,
  },
  { flags: '--description <text>', description: 'namespace description' },
  { flags: '--email <address>', description: 'owner email' },
  {
    flags: '--data <KEY=VALUE>',
    description: 'namespace data, repeatable; the value is stored as given (JSON stays JSON)',
    parse: collectData as OptionSpec['parse'],
  },
];

/** Services named on the command line (logs, restart): canonical names or the compose file's. */
export const services: ArgSpec = {
  name: 'service',
  description: `services (default: all): ${SERVICES.join(', ')}, or one instance of a service with replicas such as history-2; aliases ${Object.keys(SERVICE_ALIASES).join(', ')}`,
  variadic: true,
  completions: [...SERVICES, ...Object.keys(SERVICE_ALIASES)],
};
