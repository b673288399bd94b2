// `temporal-ctl namespace create|list|describe|update|delete`: namespaces through the
// frontend's gRPC API. Flag names follow `temporal operator namespace …`.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import type { ConfigKey } from '../config/schema.js';
import { example } from './help.js';
import { collectData, parseExistingName, parseNewName, parseRetention } from '../namespaces/flags.js';
import type { NamespaceFlags } from '../namespaces/actions.js';

/** Connection flags → config keys (flag > env > temporal.env > default). */
const CONNECTION_FLAGS: Array<[string, string, ConfigKey, string]> = [
  ['--address <host:port>', 'address', 'TEMPORAL_ADDRESS', 'frontend gRPC address (TEMPORAL_ADDRESS)'],
  ['--tls-cert <path>', 'tlsCert', 'TEMPORAL_TLS_CERT', 'client certificate for mTLS (TEMPORAL_TLS_CERT)'],
  ['--tls-key <path>', 'tlsKey', 'TEMPORAL_TLS_KEY', 'client key for mTLS (TEMPORAL_TLS_KEY)'],
  ['--tls-ca <path>', 'tlsCa', 'TEMPORAL_TLS_CA', 'CA certificate of the server (TEMPORAL_TLS_CA)'],
  ['--tls-server-name <name>', 'tlsServerName', 'TEMPORAL_TLS_SERVER_NAME', 'server name to verify (TEMPORAL_TLS_SERVER_NAME)'],
  ['--api-key <key>', 'apiKey', 'TEMPORAL_API_KEY', 'API key sent as a bearer token (TEMPORAL_API_KEY)'],
];

function withConnectionFlags(cmd: Command, namedNamespace = true): Command {
  for (const [flags, , , description] of CONNECTION_FLAGS) cmd.option(flags, description);
  if (!namedNamespace) return cmd;
  return cmd.option('-n, --namespace <name>', 'namespace name (instead of the argument; TEMPORAL_NAMESPACE)', parseExistingName);
}

/** The config-key flags ctx.load() takes, from parsed options. */
function configFlags(opts: object): Partial<Record<ConfigKey, string>> {
  const flags: Partial<Record<ConfigKey, string>> = {};
  const values = opts as Record<string, unknown>;
  for (const [, prop, key] of CONNECTION_FLAGS) if (typeof values[prop] === 'string') flags[key] = values[prop];
  if (typeof values.namespace === 'string') flags.TEMPORAL_NAMESPACE = values.namespace;
  return flags;
}

function withInfoFlags(cmd: Command): Command {
  return cmd
    .option('--retention <duration>', 'how long closed workflows are kept, e.g. 72h, 7d (minimum 1d)', parseRetention)
    .option('--description <text>', 'namespace description')
    .option('--email <address>', 'owner email')
    .addOption(new Option('--owner-email <address>', 'alias of --email').hideHelp())
    .option('--data <KEY=VALUE>', 'namespace data, repeatable; the value is stored as given (JSON stays JSON)', collectData);
}

export function registerNamespaceCommands(program: Command, ctx: Context): void {
  const ns = program.command('namespace').description('create, list, describe, update and delete namespaces')
    .addHelpText('after', example('temporal-ctl namespace create media-planner --retention 7d', 'temporal-ctl namespace list'));
  const act = (name: keyof typeof import('../namespaces/actions.js')) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.opts<NamespaceFlags>();
    const config = ctx.load(configFlags(opts)).config;
    const actions = await import('../namespaces/actions.js');
    await (actions[name] as (c: Context, cfg: typeof config, n: string | undefined, o: NamespaceFlags) => Promise<void>)(
      ctx, config, args[0] as string | undefined, opts);
  };

  withInfoFlags(withConnectionFlags(ns.command('create').argument('[name]', 'namespace to create', parseNewName)))
    .description('register a namespace and wait until the server serves it')
    .option('--if-not-exists', 'succeed when it already exists (warns when its retention differs)')
    .addHelpText('after', example('temporal-ctl namespace create media-planner --retention 7d --description "Media planner" --email team@example.com'))
    .action(act('createAction'));

  withConnectionFlags(ns.command('list'), false)
    .description('list the namespaces on the server')
    .addHelpText('after', example('temporal-ctl namespace list --output json'))
    .action(act('listAction'));

  withConnectionFlags(ns.command('describe').argument('[name]', 'namespace (default: TEMPORAL_NAMESPACE)', parseExistingName))
    .description('show state, retention, description, owner, id, data and archival states')
    .addHelpText('after', example('temporal-ctl namespace describe media-planner --output json'))
    .action(act('describeAction'));

  withInfoFlags(withConnectionFlags(ns.command('update').argument('[name]', 'namespace (default: TEMPORAL_NAMESPACE)', parseExistingName)))
    .description('change retention, description, owner email or data (data keys are merged)')
    .addHelpText('after', example('temporal-ctl namespace update media-planner --retention 14d'))
    .action(act('updateAction'));

  withConnectionFlags(ns.command('delete').argument('[name]', 'namespace to delete', parseExistingName))
    .description("delete a namespace with the server's namespace deletion (its workflows are removed)")
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', example('temporal-ctl namespace delete media-planner --yes'))
    .action(act('deleteAction'));
}
