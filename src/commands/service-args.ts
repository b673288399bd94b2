// Service names typed on the command line (canonical names or the reference compose names).
import { InvalidArgumentError } from 'commander';
import { SERVICES, SERVICE_ALIASES, resolveService, type ServiceName } from '../config/derive.js';
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';

/** Canonical names of the services; unknown names are a UsageError listing the valid ones. */
export function parseServices(names: readonly string[]): ServiceName[] {
  const unknown = names.filter((n) => resolveService(n) === undefined);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown service ${unknown.map((n) => `"${n}"`).join(', ')}: use one of ${SERVICES.join(', ')} (aliases: ${Object.keys(SERVICE_ALIASES).join(', ')})`,
    );
  }
  return [...new Set(names.map((n) => resolveService(n)!))];
}

/** commander parser for duration flags (--timeout 180s, --since 10m). */
export function durationFlag(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError(`"${text}" is not a duration; use a number with a unit, e.g. 90s, 10m or 1h`);
  return ms;
}

/** commander parser for a whole number (--tail 100). */
export function countFlag(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a whole number, e.g. 100`);
  return Number(text);
}
