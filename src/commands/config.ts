// `temporal-ctl config show|check`: the resolved configuration, with where each value came from.
import { schema, type ConfigKey } from '../config/schema.js';
import type { Call, CommandResult } from './spec.js';

/** A parsed value as the text it was parsed from (a memory size's `text`), else as given. */
function shown(value: unknown): string {
  const text = (v: unknown): string =>
    v !== null && typeof v === 'object' && 'text' in v
      ? String(v.text)
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
  return Array.isArray(value) ? value.map(text).join(',') : text(value);
}

export async function show({ ctx }: Call): Promise<CommandResult> {
  const { config: c, origins, envFile } = ctx.load();
  const rows = (Object.keys(schema) as ConfigKey[]).map((k) => ({
    key: k,
    value: 'secret' in schema[k] && schema[k].secret && c[k] !== '' ? '********' : c[k],
    origin: origins[k],
  }));
  return {
    document: { envFile: envFile ?? null, keys: rows },
    text: (out) => {
      const width = Math.max(...rows.map((r) => r.key.length));
      for (const r of rows) out.line(`${r.key.padEnd(width)}  ${shown(r.value)}  ${out.dim(`(${r.origin})`)}`);
    },
  };
}

/** Loading is the check: an invalid config is a ConfigError (exit 2) listing every problem. */
export async function check({ ctx }: Call): Promise<CommandResult> {
  const { envFile, warnings } = ctx.load();
  return {
    document: { valid: true, envFile: envFile ?? null, warnings },
    text: (out) => out.line(`configuration is valid (${envFile ?? 'defaults and environment'})`),
  };
}
