// Typed option-argument parsers shared by every command. They throw commander's
// InvalidArgumentError, which commander reports as a usage error (exit 2) before any action runs.
import { InvalidArgumentError } from 'commander';
import { MAX_SPAN_MS, parsePositiveDuration } from '../config/duration.js';

/** A positive duration in milliseconds; `examples` as in parsePositiveDuration. */
export function parseDurationArg(text: string, examples?: string): number {
  return typed((t: string) => parsePositiveDuration(t, examples))(text);
}

/** commander parser for duration flags that are waits (--timeout, --interval): at most MAX_WAIT_MS. */
export function durationFlag(text: string): number {
  return parseDurationArg(text);
}

/** commander parser for a look back (logs --since): at most MAX_SPAN_MS. */
export function lookBackFlag(text: string): number {
  return typed((t: string) => parsePositiveDuration(t, '10m, 2h or 7d', MAX_SPAN_MS))(text);
}

/** commander parser for a whole number (--tail 100; 0 is allowed). */
export function countFlag(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number, e.g. 100.`);
  return Number(text);
}

/** A parser that throws a plain Error, as a commander parser: its message becomes a usage error. */
export function typed<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}
