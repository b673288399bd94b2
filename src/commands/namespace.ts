// `temporal-ctl namespace create|list|describe|update|delete`: namespaces through the
// frontend's gRPC API. Flag names follow `temporal operator namespace …`.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import type { ConfigKey } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { example } from './help.js';
import { collectData, parseExistingName, parseNewName, parseRetention } from '../namespaces/flags.js';
import type { NamespaceFlags } from '../namespaces/actions.js';

/** Connection flags as Temporal's CLI spells them → config keys (flag > env > temporal.env > default). */
const CONNECTION_FLAGS: Array<{ flags: string; key: ConfigKey; description: string; formerly?: string }> = [
  { flags: '--address <host:port>', key: 'TEMPORAL_ADDRESS', description: 'frontend gRPC address' },
  {
    flags: '--tls-cert-path <path>',
    key: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    description: 'client certificate file for mTLS',
    formerly: '--tls-cert <path>',
  },
  {
    flags: '--tls-key-path <path>',
    key: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    description: 'client key file for mTLS',
    formerly: '--tls-key <path>',
  },
  {
    flags: '--tls-ca-path <path>',
    key: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    description: 'CA certificate file of the server',
    formerly: '--tls-ca <path>',
  },
  { flags: '--tls-server-name <name>', key: 'TEMPORAL_TLS_SERVER_NAME', description: 'server name to verify' },
  { flags: '--api-key <key>', key: 'TEMPORAL_API_KEY', description: 'API key sent as a bearer token' },
];
/** commander's property name of a flag: --tls-cert-path → tlsCertPath. */
const prop = (flags: string): string => new Option(flags).attributeName();

function withConnectionFlags(cmd: Command, namedNamespace = true): Command {
  for (const f of CONNECTION_FLAGS) {
    cmd.option(f.flags, `${f.description} (${f.key})`);
    if (f.formerly) cmd.addOption(new Option(f.formerly, `former name of ${f.flags.split(' ')[0]}`).hideHelp());
  }
  if (!namedNamespace) return cmd;
  return cmd.option(
    '-n, --namespace <name>',
    'namespace name (instead of the argument; TEMPORAL_NAMESPACE)',
    parseExistingName,
  );
}

/** The config-key flags ctx.load() takes, from parsed options. */
function configFlags(opts: object): Partial<Record<ConfigKey, string>> {
  const flags: Partial<Record<ConfigKey, string>> = {};
  const values = opts as Record<string, unknown>;
  for (const f of CONNECTION_FLAGS) {
    const [value, former] = [values[prop(f.flags)], f.formerly ? values[prop(f.formerly)] : undefined];
    if (typeof value === 'string' && typeof former === 'string' && value !== former) {
      throw new UsageError(
        `${f.flags.split(' ')[0]} and its former name ${f.formerly!.split(' ')[0]} disagree; pass ${f.flags.split(' ')[0]} only`,
      );
    }
    if (typeof value === 'string') flags[f.key] = value;
    else if (typeof former === 'string') flags[f.key] = former;
  }
  if (typeof values.namespace === 'string') flags.TEMPORAL_NAMESPACE = values.namespace;
  return flags;
}

function withInfoFlags(cmd: Command): Command {
  return cmd
    .option('--retention <duration>', 'how long closed workflows are kept, e.g. 72h, 7d (minimum 1d)', parseRetention)
    .option('--description <text>', 'namespace description')
    .option('--email <address>', 'owner email')
    .addOption(new Option('--owner-email <address>', 'alias of --email').hideHelp())
    .option(
      '--data <KEY=VALUE>',
      'namespace data, repeatable; the value is stored as given (JSON stays JSON)',
      collectData,
    );
}

export function registerNamespaceCommands(program: Command, ctx: Context): void {
  const ns = program
    .command('namespace')
    .description('create, list, describe, update and delete namespaces')
    .addHelpText(
      'after',
      example('temporal-ctl namespace create media-planner --retention 7d', 'temporal-ctl namespace list'),
    );
  const act =
    (name: keyof typeof import('../namespaces/actions.js')) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const opts = cmd.opts<NamespaceFlags>();
      const config = ctx.load(configFlags(opts)).config;
      const actions = await import('../namespaces/actions.js');
      await (
        actions[name] as (c: Context, cfg: typeof config, n: string | undefined, o: NamespaceFlags) => Promise<void>
      )(ctx, config, args[0] as string | undefined, opts);
    };

  withInfoFlags(withConnectionFlags(ns.command('create').argument('[name]', 'namespace to create', parseNewName)))
    .description('register a namespace and wait until the server serves it')
    .option('--if-not-exists', 'succeed when it already exists (warns when its retention differs)')
    .addHelpText(
      'after',
      example(
        'temporal-ctl namespace create media-planner --retention 7d --description "Media planner" --email team@example.com',
      ),
    )
    .action(act('createAction'));

  withConnectionFlags(ns.command('list'), false)
    .description('list the namespaces on the server')
    .addHelpText('after', example('temporal-ctl namespace list --output json'))
    .action(act('listAction'));

  withConnectionFlags(
    ns.command('describe').argument('[name]', 'namespace (default: TEMPORAL_NAMESPACE)', parseExistingName),
  )
    .description('show state, retention, description, owner, id, data and archival states')
    .addHelpText('after', example('temporal-ctl namespace describe media-planner --output json'))
    .action(act('describeAction'));

  withInfoFlags(
    withConnectionFlags(
      ns.command('update').argument('[name]', 'namespace (default: TEMPORAL_NAMESPACE)', parseExistingName),
    ),
  )
    .description('change retention, description, owner email or data (data keys are merged)')
    .addHelpText('after', example('temporal-ctl namespace update media-planner --retention 14d'))
    .action(act('updateAction'));

  withConnectionFlags(ns.command('delete').argument('[name]', 'namespace to delete', parseExistingName))
    .description("delete a namespace with the server's namespace deletion (its workflows are removed)")
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', example('temporal-ctl namespace delete media-planner --yes'))
    .action(act('deleteAction'));
}
