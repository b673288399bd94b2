// The shape of one command declaration. src/commands/table.ts declares every command with it;
// src/cli/ turns the table into commander commands, help, and the pages in docs/commands/.
// Declarations are data: nothing here loads a heavy module, handlers load only when they run.
import type { ConfigKey } from '../config/schema.js';
import type { Emit } from '../lifecycle/events.js';
import type { Output } from '../output.js';
import type { Context } from './context.js';

/** How a command answers: the runner renders each kind the same way for every command. */
export type OutputKind =
  /** The lifecycle core's events: live progress in text, one JSON document at the end with -o json. */
  | 'events'
  /** One result: text lines, or the document as JSON with -o json. */
  | 'document'
  /** Lines until done or Ctrl-C: text, or one JSON object per line (JSON Lines) with -o json. */
  | 'stream';

export interface OptionSpec {
  /** As commander spells it: '--timeout <duration>', '-y, --yes', '--no-wait'. */
  readonly flags: string;
  readonly description: string;
  /** The value when the flag is absent, and how help and docs show it. */
  readonly default?: { readonly value: unknown; readonly text: string };
  /** Turns the typed text into the value; throws commander's InvalidArgumentError (exit 2). */
  readonly parse?: (text: string, previous: never) => unknown;
  readonly choices?: readonly string[];
  /** The flag sets this config key (precedence: flag > environment > temporal.env > default). */
  readonly configKey?: ConfigKey;
  /** Accepted but not shown in help, docs or completion. */
  readonly hidden?: boolean;
  readonly mandatory?: boolean;
  /** Other options this one sets (--json sets --output json). */
  readonly implies?: Readonly<Record<string, unknown>>;
}

export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  /** @default false */
  readonly required?: boolean;
  /** @default false */
  readonly variadic?: boolean;
  readonly parse?: (text: string) => unknown;
  readonly choices?: readonly string[];
  /** Words shell completion offers for it. */
  readonly completions?: readonly string[];
}

/** A command's input as parsed: positional arguments by name, options by commander's attribute name. */
export interface Call<Args = Record<string, unknown>, Flags = Record<string, unknown>> {
  readonly ctx: Context;
  readonly args: Args;
  readonly flags: Flags;
  /** The whole command tree, for commands that describe the program itself (completion). */
  readonly program: unknown;
  /** `events` commands report here; the runner renders (live text, or one JSON document). */
  readonly emit: Emit;
}

/**
 * What a `document` command returns: the runner prints `document` as JSON or calls `text`. An
 * `events` command may return one too: its fields join the events' JSON document.
 */
export interface CommandResult {
  readonly document: unknown;
  readonly text: (out: Output) => void | Promise<void>;
  /** 0 unless the answer is "ran fine, but unhealthy" (1) or a documented code of the command. */
  readonly exitCode?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own Call; the table cannot know it
export type Handler = (call: Call<any, any>) => Promise<CommandResult | undefined>;

export interface ExitCode {
  readonly code: number;
  readonly meaning: string;
}

export interface CommandSpec {
  /** ['start'], ['namespace', 'create']. */
  readonly path: readonly string[];
  /** One line: help's command list and the docs page's first sentence. */
  readonly summary: string;
  /** What else a user should know, a few sentences; help and the docs page. */
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  /** Command lines, each starting with `temporal-ctl`; help ends with them. */
  readonly examples: readonly string[];
  readonly output: OutputKind;
  /** The JSON shape printed with -o json on success, for the docs. */
  readonly json: string;
  /** Codes beyond 0, 1 and 2, which every command has. */
  readonly exitCodes?: readonly ExitCode[];
  /** Not in help, docs or completion: for the test environment. */
  readonly hidden?: boolean;
  /**
   * Runs with TEMPORAL_TARGET=swarm: it needs no Docker engine (the config, the namespaces through
   * the frontend, certificates). @default false - refused on a swarm (exit 2) until it knows one
   */
  readonly onSwarm?: boolean;
  /**
   * Changes the cluster through terraform or its data: runs only while it holds the state
   * directory's lock (src/project/state-lock.ts), so a second such command waits its turn. @default false
   */
  readonly locksState?: boolean;
  readonly handler: () => Promise<Handler>;
}

/** A command with subcommands (`namespace`, `images`): only a summary and examples of its own. */
export interface GroupSpec {
  readonly path: readonly [string];
  readonly summary: string;
  readonly examples: readonly string[];
}

/** The codes every command may exit with. */
export const COMMON_EXIT_CODES: readonly ExitCode[] = [
  { code: 0, meaning: 'success' },
  { code: 1, meaning: 'the cluster is unhealthy or the operation failed' },
  { code: 2, meaning: 'usage or configuration error; nothing was changed' },
];

/** Commands that change the cluster stop cleanly on Ctrl-C, SIGTERM or SIGHUP, with the shell's codes. */
export const INTERRUPT_EXIT_CODES: readonly ExitCode[] = [
  { code: 130, meaning: 'interrupted by Ctrl-C (SIGINT); the message says in what state the cluster is' },
  { code: 143, meaning: 'stopped by SIGTERM; the message says in what state the cluster is' },
  { code: 129, meaning: 'stopped by SIGHUP (the terminal went away); the message says in what state the cluster is' },
];

export const command = (spec: CommandSpec): CommandSpec => spec;
export const group = (spec: GroupSpec): GroupSpec => spec;

/** The file name of a command's page in docs/commands/: `namespace create` → namespace-create.md. */
export const pageName = (path: readonly string[]): string => `${path.join('-')}.md`;

/** `plan --detailed-exitcode`: changes are pending (terraform's 2 is our usage error, so 3). */
export const CHANGES_PENDING = 3;
