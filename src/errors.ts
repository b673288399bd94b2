// The error hierarchy. Exit codes: 2 usage/config, 1 unhealthy or failed operation, 130/143/129
// interrupted by SIGINT/SIGTERM/SIGHUP (what a shell reports for a program its signal ended).
// Only run() catches these; only bin/ sets the process exit code.

export abstract class CtlError extends Error {
  abstract readonly exitCode: 1 | 2 | 129 | 130 | 143;
  /** A command or step that fixes it, printed after the message. */
  readonly hint?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends CtlError {
  readonly exitCode = 2;
}

/** An invalid temporal.env / environment / flag value; one line per problem. */
export class ConfigError extends CtlError {
  readonly exitCode = 2;
  constructor(
    readonly lines: string[],
    readonly source: string,
  ) {
    super(`invalid configuration (${source}):\n  ${lines.join('\n  ')}`, {
      hint: 'fix the keys above; `temporal-ctl config show` prints every key with its value and origin',
    });
  }
}

/** Something is unhealthy or an operation on the cluster failed. */
export class OperationError extends CtlError {
  readonly exitCode = 1;
}

/**
 * The signals that stop an operation cleanly: Ctrl-C (SIGINT), SIGTERM, and SIGHUP (the terminal or
 * the ssh session went away), each with the exit code a shell reports for it (128 + its number).
 */
export const INTERRUPT_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type InterruptSignal = keyof typeof INTERRUPT_SIGNALS;
export const INTERRUPTING: readonly InterruptSignal[] = Object.keys(INTERRUPT_SIGNALS) as InterruptSignal[];

/** Ctrl-C, SIGTERM or SIGHUP stopped an operation; the message says in what state it left the cluster. */
export class InterruptedError extends CtlError {
  readonly exitCode: (typeof INTERRUPT_SIGNALS)[InterruptSignal];
  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
    options?: { hint?: string },
  ) {
    super(message, options);
    this.exitCode = INTERRUPT_SIGNALS[signal as InterruptSignal] ?? INTERRUPT_SIGNALS.SIGINT;
  }
}

/** An external command (terraform, docker) failed: keeps its exit code and last stderr lines. */
export class ExternalCommandError extends CtlError {
  readonly exitCode = 1;
  constructor(
    readonly command: string,
    readonly commandExitCode: number | null,
    readonly stderrTail: string,
    options?: { hint?: string },
  ) {
    super(
      `\`${command}\` failed with exit code ${commandExitCode ?? 'unknown'}${stderrTail ? `:\n${indent(stderrTail)}` : ''}`,
      options,
    );
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** Last non-empty lines of a command's stderr: the part that names the cause. */
export function tailLines(text: string, count = 8): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-count)
    .join('\n');
}

/**
 * The config contradicts what the cluster's data already holds (credentials, PostgreSQL major
 * version, first-start facts): applying it would fail or start an empty cluster. Nothing was touched.
 */
export class DataConflictError extends CtlError {
  readonly exitCode = 2;
}

/** A short reason from any thrown value (no stack traces in user-facing detail). */
export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || String(code ?? error.name);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}
