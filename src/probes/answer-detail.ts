// What the HTTP probes say about an answer they did not expect, or about none: a body's first
// characters, and the fix when nothing listens.
import { reason } from '../errors.js';

/** The first characters of a body, for details about unexpected answers. */
export function snippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty body)';
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a GET did not get an answer, with the fix for the common case (nothing listening). */
export function unreachable(what: string, base: string, portKey: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED')
    return `nothing listens on ${base}: start ${what} (\`temporal-ctl start\`) or check ${portKey}`;
  return `cannot reach ${what} at ${base}: ${reason(error)}`;
}
