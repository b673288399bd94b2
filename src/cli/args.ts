// Typed option-argument parsers shared by every command. They throw commander's
// InvalidArgumentError, which commander reports as a usage error (exit 2) before any action runs.
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../config/duration.js';

/**
 * A positive duration in milliseconds (--timeout 180s, --since 10m, --interval 200ms).
 * `examples` completes "use a number with a unit, e.g. …" for flags with their own scale (retention).
 */
export function parseDurationArg(text: string, examples = '500ms, 30s or 10m'): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new InvalidArgumentError(`"${text}" is not a duration; use a number with a unit, e.g. ${examples}.`);
  if (ms <= 0) throw new InvalidArgumentError(`"${text}" is zero; use a duration longer than zero, e.g. ${examples}.`);
  return ms;
}

/** commander parser for duration flags (--timeout, --interval, --since). */
export function durationFlag(text: string): number {
  return parseDurationArg(text);
}

/** commander parser for a whole number (--tail 100; 0 is allowed). */
export function countFlag(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number, e.g. 100.`);
  return Number(text);
}
