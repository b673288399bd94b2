// `logs -o json`: one JSON record per line, ready for a log shipper (Filebeat, Vector, Fluent Bit
// read JSON lines). A line that is itself a JSON object (the server's zap logger, the Web UI's
// request log) keeps its fields, parsed, so the shipper need not decode a string inside a string.
import type { LogLine } from './container-logs.js';

export interface LogRecord {
  service: LogLine['service'];
  /** The service's name, or one of its instances (`history-2`; on a swarm, the task's slot). */
  instance: string;
  container: string;
  /** Docker's receive time of the line, RFC 3339 / ISO 8601 in UTC with nanoseconds; null if Docker gave none. */
  time: string | null;
  stream: LogLine['stream'];
  /** The line as the service wrote it. */
  message: string;
  /** The line's own fields when it is a JSON object (e.g. level, ts, msg, logger, caller). */
  fields?: Record<string, unknown>;
}

export function logRecord(l: LogLine): LogRecord {
  const fields = jsonObject(l.text);
  return {
    service: l.service,
    instance: l.instance,
    container: l.container,
    time: l.time === '' ? null : l.time,
    stream: l.stream,
    message: l.text,
    ...(fields ? { fields } : {}),
  };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
