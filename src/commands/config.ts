// `temporal-ctl config show|check`: the resolved configuration, with where each value came from.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { schema, type ConfigKey } from '../config/schema.js';
import { example } from './help.js';

export function registerConfig(program: Command, ctx: Context): void {
  const config = program.command('config').description('show or check the resolved configuration')
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
        const shown = Array.isArray(r.value) ? r.value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)).join(',') : String(r.value);
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
}
