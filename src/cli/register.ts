// Turns the command table into commander commands: flags, arguments, help with examples, and one
// action per command that loads its handler and renders its answer the same way for every command.
import { Argument, type Command, Option } from 'commander';
import type { ConfigKey } from '../config/schema.js';
import type { Context } from '../commands/context.js';
import type { ArgSpec, Call, CommandResult, CommandSpec, GroupSpec, Handler, OptionSpec } from '../commands/spec.js';
import type { Emit } from '../lifecycle/events.js';

export interface CommandTable {
  readonly commands: readonly CommandSpec[];
  readonly groups: readonly GroupSpec[];
}

/** The "Example" block every command's help ends with. */
export function exampleBlock(lines: readonly string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.configKey ? `${spec.description} (${spec.configKey})` : spec.description);
  if (spec.parse) option.argParser(spec.parse as never);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default) option.default(spec.default.value, spec.default.text);
  if (spec.hidden) option.hideHelp();
  if (spec.mandatory) option.makeOptionMandatory();
  if (spec.implies) option.implies(spec.implies);
  return option;
}

function toArgument(spec: ArgSpec): Argument {
  const name = `${spec.name}${spec.variadic ? '...' : ''}`;
  const argument = new Argument(spec.required ? `<${name}>` : `[${name}]`, spec.description);
  if (spec.parse) argument.argParser(spec.parse);
  if (spec.choices) argument.choices(spec.choices);
  return argument;
}

/** Adds every command of the table to `program`, parents created as their first child needs them. */
export function registerTable(program: Command, table: CommandTable, ctx: () => Context): void {
  const parents = new Map<string, Command>();
  const parentOf = (path: readonly string[]): Command => {
    if (path.length === 1) return program;
    const name = path[0]!;
    let parent = parents.get(name);
    if (!parent) {
      const spec = table.groups.find((g) => g.path[0] === name);
      if (!spec) throw new Error(`the command table has ${path.join(' ')} but no group ${name}`);
      parent = program.command(name).description(spec.summary).addHelpText('after', exampleBlock(spec.examples));
      parents.set(name, parent);
    }
    return parent;
  };
  for (const spec of table.commands) {
    // command() (not addCommand) so each inherits the program's output, exit and help settings.
    const cmd = parentOf(spec.path)
      .command(spec.path.at(-1)!, { hidden: spec.hidden })
      .summary(spec.summary)
      .description(spec.description ? `${spec.summary}\n\n${spec.description}` : spec.summary);
    for (const a of spec.args ?? []) cmd.addArgument(toArgument(a));
    for (const o of spec.options ?? []) cmd.addOption(toOption(o));
    cmd.addHelpText('after', exampleBlock(spec.examples)).action((...raw: unknown[]) => act(spec, raw, ctx()));
  }
}

/** commander's property name of an option: --tls-cert-path → tlsCertPath. */
const attribute = (o: OptionSpec): string => new Option(o.flags).attributeName();
/** An argument's name as a property: backup-file → backupFile. */
const camel = (name: string): string => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** What a handler gets: its arguments by name, its options, and the config keys its flags set. */
function callOf(spec: CommandSpec, raw: unknown[], ctx: Context, emit: Emit): Call {
  const cmd = raw.at(-1) as Command;
  const flags = cmd.opts();
  const args = Object.fromEntries((spec.args ?? []).map((a, i) => [camel(a.name), raw[i]]));
  const keyed: Partial<Record<ConfigKey, string>> = {};
  for (const o of spec.options ?? []) {
    const value = flags[attribute(o)];
    if (o.configKey && typeof value === 'string') keyed[o.configKey] = value;
  }
  ctx.setConfigFlags(keyed);
  ctx.setCommand(spec.path.join(' '), Boolean(spec.onSwarm));
  let program = cmd;
  while (program.parent) program = program.parent;
  return { ctx, args, flags, program, emit };
}

async function act(spec: CommandSpec, raw: unknown[], ctx: Context): Promise<void> {
  const handler = await spec.handler();
  if (spec.output === 'events') return actWithEvents(handler, spec, raw, ctx);
  const notEvents: Emit = () => {
    throw new Error(`${spec.path.join(' ')} is declared '${spec.output}' but emitted a lifecycle event`);
  };
  const call = callOf(spec, raw, ctx, notEvents);
  const result = await withStateLock(spec, ctx, () => handler(call));
  if (!result) return;
  if (ctx.json) ctx.out.json(result.document);
  else await result.text(ctx.out);
  if (result.exitCode) ctx.exitCode = result.exitCode;
}

/** The events render live (or into one JSON document, with the result's fields) while the handler runs. */
async function actWithEvents(handler: Handler, spec: CommandSpec, raw: unknown[], ctx: Context): Promise<void> {
  const { renderEvents } = await import('../commands/render-events.js');
  const render = await renderEvents(ctx.out, ctx.json);
  let succeeded = false;
  let result: CommandResult | undefined;
  try {
    const call = callOf(spec, raw, ctx, render.emit);
    result = await withStateLock(spec, ctx, () => handler(call));
    succeeded = true;
  } finally {
    render.finish(succeeded, result?.document as object | undefined);
  }
  if (result?.exitCode) ctx.exitCode = result.exitCode;
  if (result && !ctx.json) await result.text(ctx.out);
}

/** Runs `fn` holding the state directory's lock when the command declares it (locksState). */
async function withStateLock<T>(spec: CommandSpec, ctx: Context, fn: () => Promise<T>): Promise<T> {
  if (!spec.locksState) return fn();
  const [{ lockState }, { projectPaths }] = await Promise.all([
    import('../project/state-lock.js'),
    import('../project/paths.js'),
  ]);
  const loaded = ctx.load(); // the flags are set: TEMPORAL_STATE_DIR is the command's
  const lock = lockState(projectPaths(loaded.config, loaded.projectDir).stateDir, spec.path.join(' '), (stale) =>
    ctx.out.warn(
      `took over the lock of pid ${stale.pid} (\`temporal-ctl ${stale.command}\` since ${stale.since}), which no longer runs; check the cluster with \`temporal-ctl status\``,
    ),
  );
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
