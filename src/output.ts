// The only module that colours text. Commands write through an Output so tests
// can capture it and --json / --color / NO_COLOR are honoured in one place.
import { Chalk, type ChalkInstance } from 'chalk';

export type ColorMode = 'auto' | 'always' | 'never';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where confirmations are read from; default process.stdin. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export class Output {
  private chalk!: ChalkInstance;
  /** True when stdout is a terminal a person watches (live progress is allowed). */
  readonly interactive: boolean;

  constructor(
    readonly streams: Streams,
    mode: ColorMode = 'auto',
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.setColorMode(mode);
    this.interactive = Boolean(streams.stdout.isTTY) && !env.CI;
  }

  get color(): ChalkInstance {
    return this.chalk;
  }

  /** --color as parsed: always, never, or auto (a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it). */
  setColorMode(mode: ColorMode): void {
    const forced = this.env.FORCE_COLOR !== undefined && this.env.FORCE_COLOR !== '0';
    const auto =
      forced || (Boolean(this.streams.stdout.isTTY) && this.env.NO_COLOR === undefined && this.env.TERM !== 'dumb');
    this.chalk = new Chalk({ level: mode === 'always' || (mode === 'auto' && auto) ? 1 : 0 });
  }

  line(text = ''): void {
    this.streams.stdout.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and diagnostics go to stderr so stdout stays parseable. */
  info(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.streams.stderr.write(`${this.color.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.streams.stderr.write(`${this.color.red('error:')} ${text}\n`);
  }

  ok(text: string): string {
    return this.color.green(text);
  }

  bad(text: string): string {
    return this.color.red(text);
  }

  dim(text: string): string {
    return this.color.dim(text);
  }
}
