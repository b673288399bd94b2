// `temporal-ctl config show|check`: the resolved configuration, with where each value came from.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { schema, type ConfigKey } from '../config/schema.js';
import {
  ENV_CONTRACTS,
  parseEndpoint,
  parseRolePort,
  shellAssignments,
  stackPlacement,
  tlsFilesOnHost,
  withOverrides,
  type EnvContract,
  type Endpoint,
  type RolePort,
} from '../model/temporal-env.js';
import { example } from './help.js';

export function registerConfig(program: Command, ctx: Context): void {
  const config = program
    .command('config')
    .description('show or check the resolved configuration')
    .addHelpText('after', example('temporal-ctl config show', 'temporal-ctl config check --env-file ./prod.env'));

  config
    .command('show')
    .description('print every key with its value and origin (secrets masked)')
    .addHelpText('after', example('temporal-ctl config show', 'temporal-ctl config show --output json'))
    .action(() => {
      const { config: c, origins, envFile } = ctx.load();
      const rows = (Object.keys(schema) as ConfigKey[]).map((k) => ({
        key: k,
        value: 'secret' in schema[k] && schema[k].secret && c[k] !== '' ? '********' : c[k],
        origin: origins[k],
      }));
      if (ctx.json) return ctx.out.json({ envFile: envFile ?? null, keys: rows });
      const width = Math.max(...rows.map((r) => r.key.length));
      for (const r of rows) {
        // A parsed value shows as the text it was parsed from (a memory size's `text`), else as given.
        const text = (v: unknown): string =>
          v !== null && typeof v === 'object' && 'text' in v
            ? String(v.text)
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v);
        const shown = Array.isArray(r.value) ? r.value.map(text).join(',') : text(r.value);
        ctx.out.line(`${r.key.padEnd(width)}  ${shown}  ${ctx.out.dim(`(${r.origin})`)}`);
      }
    });

  config
    .command('check')
    .description('validate temporal.env and the environment; exit 2 with every problem listed')
    .addHelpText('after', example('temporal-ctl config check --env-file ./prod.env'))
    .action(() => {
      const { envFile } = ctx.load();
      ctx.out.line(`configuration is valid (${envFile ?? 'defaults and environment'})`);
    });

  registerConfigEnv(config, ctx);
}

interface EnvOptions {
  service: EnvContract;
  postgres?: Endpoint;
  elasticsearch?: Endpoint;
  bindIp?: string;
  metrics?: Endpoint;
  broadcastAddress?: string;
  rolePort: Partial<Record<RolePort, number>>;
  dynamicConfig?: string;
  schemaDir?: string;
  sqlTool?: string;
  tlsFilesOnHost?: boolean;
}

/** Hidden: the server's or schema job's environment for another placement (scripts/test-env runs the same contract). */
function registerConfigEnv(config: Command, ctx: Context): void {
  const typed =
    <T>(parse: (text: string) => T) =>
    (text: string): T => {
      try {
        return parse(text);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    };
  config
    .command('env', { hidden: true })
    .description(
      "print the environment the server or the schema job gets, one shell-quoted KEY=value per line; defaults: the stack's in-network placement",
    )
    .addOption(
      new Option('--service <name>', 'whose environment').choices(Object.keys(ENV_CONTRACTS)).makeOptionMandatory(),
    )
    .option('--postgres <host:port>', 'where PostgreSQL answers', typed(parseEndpoint))
    .option('--elasticsearch <host:port>', 'where Elasticsearch answers', typed(parseEndpoint))
    .option('--bind-ip <ip>', 'address the server binds')
    .option('--metrics <host:port>', "where the server's Prometheus endpoint listens", typed(parseEndpoint))
    .option('--broadcast-address <ip>', 'address the server advertises to its members')
    .option(
      '--role-port <NAME=PORT>',
      'a role port, e.g. HISTORY_GRPC_PORT=7234 (repeatable)',
      (text: string, all: Partial<Record<RolePort, number>>) => {
        const [name, port] = typed(parseRolePort)(text);
        return { ...all, [name]: port };
      },
      {},
    )
    .option('--dynamic-config <path>', 'the dynamic config file the server reads')
    .option('--schema-dir <dir>', 'root of the schema files')
    .option('--sql-tool <path>', 'the temporal-sql-tool binary')
    .option('--tls-files-on-host', "the server reads its TLS files at the config's paths, not the container's")
    .addHelpText(
      'after',
      example(
        'temporal-ctl config env --service schema --postgres 127.0.0.1:5433 --sql-tool ./temporal-sql-tool --schema-dir ./schema',
      ),
    )
    .action((o: EnvOptions) => {
      const where = withOverrides(stackPlacement(ctx.config), {
        postgres: o.postgres,
        elasticsearch: o.elasticsearch,
        bindOnIp: o.bindIp,
        metrics: o.metrics,
        broadcastAddress: o.broadcastAddress,
        rolePorts: o.rolePort,
        dynamicConfigPath: o.dynamicConfig,
        schemaDir: o.schemaDir,
        sqlTool: o.sqlTool,
        tlsFiles: o.tlsFilesOnHost ? tlsFilesOnHost(ctx.config) : undefined,
      });
      // The environment a server needs holds its passwords: the one output that prints them.
      for (const line of shellAssignments(ENV_CONTRACTS[o.service](ctx.config, where))) ctx.out.lineWithSecrets(line);
    });
}
