// The only module that colours text. Commands write through an Output so tests
// can capture it and --json / --color / NO_COLOR are honoured in one place.
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from './config/secrets.js';

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
  /** The given streams, behind a mask for the configured secrets: whatever writes to them is masked. */
  readonly streams: Streams;
  private concealed: readonly string[] = [];
  private readonly unmasked: Streams;

  constructor(
    streams: Streams,
    mode: ColorMode = 'auto',
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    const mask = () => this.concealed;
    this.unmasked = streams;
    this.streams = { ...streams, stdout: masked(streams.stdout, mask), stderr: masked(streams.stderr, mask) };
    this.setColorMode(mode);
    this.interactive = Boolean(streams.stdout.isTTY) && !env.CI;
  }

  /** Values (secrets, from src/config/secrets.ts concealable()) never written as they are from now on. */
  conceal(values: readonly string[]): void {
    this.concealed = [...new Set([...this.concealed, ...values])].sort((a, b) => b.length - a.length);
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

  /**
   * A stdout line that may hold a secret on purpose, unmasked. Only for output that exists to hand
   * secrets on (`config env`: a server's environment for a process the user starts).
   */
  lineWithSecrets(text: string): void {
    this.unmasked.stdout.write(`${text}\n`);
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

/**
 * The stream with every write masked. A secret split across two writes would pass: writers of raw
 * program output (src/deploy/exec.ts) write whole lines.
 */
function masked<S extends NodeJS.WritableStream>(stream: S, values: () => readonly string[]): S {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const hide = values();
          const text =
            hide.length && (typeof chunk === 'string' || Buffer.isBuffer(chunk)) ? redact(String(chunk), hide) : chunk;
          return (target.write as (...a: unknown[]) => boolean)(text, ...rest);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
