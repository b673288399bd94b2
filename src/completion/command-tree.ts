// What shell completion offers, read from commander's command tree: one node per command path
// with its subcommands, flags (its own and its ancestors', as commander accepts them anywhere)
// and positional arguments. The shell scripts (posix.ts, fish.ts) only render this.
import type { Argument, Command, Option } from 'commander';

/** What to offer for a value: fixed words, file names, or nothing (free text). */
export type Values = { readonly words: readonly string[] } | 'files' | 'none';

export interface FlagSpec {
  /** '--timeout', '-o' … as typed; `long` or `short` may be missing. */
  readonly long?: string;
  readonly short?: string;
  readonly description: string;
  /** Takes the next word as its value; undefined for a switch. */
  readonly value?: Values;
  /** A hidden alias: never offered, but its value is still skipped. */
  readonly hidden: boolean;
}

export interface ArgSpec {
  readonly name: string;
  readonly variadic: boolean;
  readonly values: Values;
}

export interface NodeSpec {
  /** Command names from the program down: [] for the program, ['namespace', 'create']. */
  readonly path: readonly string[];
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  /** Flags declared on this command (not inherited), hidden ones included. */
  readonly ownFlags: readonly FlagSpec[];
  /** Every flag offered here: the ancestors' (but --version), this command's, and --help; no hidden ones. */
  readonly flags: readonly FlagSpec[];
  readonly args: readonly ArgSpec[];
}

export interface ModelOptions {
  /** Words for positional arguments by argument name, e.g. { service: ['server', 'ui', …] }. */
  readonly argumentValues?: Readonly<Record<string, readonly string[]>>;
}

const HELP: FlagSpec = { long: '--help', short: '-h', description: 'display help for command', hidden: false };
/** A value placeholder that names a file: <path>, <file>, <file.tar>. */
const FILE_VALUE = /<(path|file)[^>]*>/;

function flagSpec(o: Option): FlagSpec {
  const takesValue = o.required || o.optional;
  const value: Values | undefined = !takesValue
    ? undefined
    : o.argChoices
      ? { words: o.argChoices }
      : FILE_VALUE.test(o.flags)
        ? 'files'
        : 'none';
  return { long: o.long, short: o.short, description: o.description, value, hidden: o.hidden };
}

function argSpec(a: Argument, options: ModelOptions): ArgSpec {
  const named = options.argumentValues?.[a.name()];
  const values: Values = a.argChoices
    ? { words: a.argChoices }
    : named
      ? { words: named }
      : /file|path/.test(a.name())
        ? 'files'
        : 'none';
  return { name: a.name(), variadic: a.variadic, values };
}

const visible = (cmd: Command): Command[] =>
  cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);

/** Every command path of the program, parents before children. */
export function completionModel(program: Command, options: ModelOptions = {}): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  const visit = (cmd: Command, path: string[], inherited: FlagSpec[]) => {
    const own = cmd.options.map(flagSpec);
    const shown = own.filter((f) => !f.hidden);
    nodes.push({
      path,
      description: cmd.summary() || cmd.description(),
      // Hidden commands (e.g. `config env`, for the test environment) are never offered.
      subcommands: visible(cmd).map((c) => ({ name: c.name(), description: c.summary() || c.description() })),
      ownFlags: own,
      flags: [...inherited, ...shown, HELP],
      args: cmd.registeredArguments.map((a) => argSpec(a, options)),
    });
    const passedDown = [...inherited, ...shown.filter((f) => f.long !== '--version')];
    for (const sub of visible(cmd)) visit(sub, [...path, sub.name()], passedDown);
  };
  visit(program, [], []);
  return nodes;
}

/**
 * Every flag that takes a value, with what to offer for it. The scripts skip a flag's value when
 * they look for the command path, by flag alone: so a flag must mean the same everywhere.
 */
export function valueFlags(nodes: readonly NodeSpec[]): Map<string, Values> {
  const table = new Map<string, Values>();
  const seen = new Map<string, string>();
  for (const node of nodes) {
    for (const f of node.ownFlags) {
      const meaning = JSON.stringify(f.value ?? null);
      for (const name of [f.long, f.short].filter((n): n is string => n !== undefined)) {
        const before = seen.get(name);
        if (before !== undefined && before !== meaning) {
          throw new Error(
            `completion: ${name} takes a value in one command and not in another (or other values); give one of them another name`,
          );
        }
        seen.set(name, meaning);
        if (f.value !== undefined) table.set(name, f.value);
      }
    }
  }
  return table;
}
