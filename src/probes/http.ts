// A small GET for the HTTP probes (Elasticsearch, Web UI) through undici, loaded lazily.
import { reason } from './types.js';

export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json?: unknown;
}

/** GETs url; the signal bounds the whole exchange (headers and body). */
export async function httpGet(url: string, signal: AbortSignal): Promise<HttpAnswer> {
  const { request } = await import('undici');
  // reset closes the connection after the answer: a CLI must not keep idle sockets.
  const res = await request(url, { method: 'GET', signal, reset: true, headers: { accept: 'application/json' } });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json };
}

/** The first characters of a body, for details about unexpected answers. */
export function snippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty body)';
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a GET did not get an answer, with the fix for the common case (nothing listening). */
export function unreachable(what: string, base: string, portKey: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return `nothing listens on ${base}: start ${what} (\`temporal-ctl start\`) or check ${portKey}`;
  return `cannot reach ${what} at ${base}: ${reason(error)}`;
}
