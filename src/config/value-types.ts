// Value parsers for the config schema. Each returns the typed value or an error
// sentence that finishes "KEY: ...".
import { formatDuration, MAX_SPAN_MS, MAX_WAIT_MS, parseDuration } from './duration.js';
import { namespaceNameProblem } from './namespace-name.js';

export type Parsed<T> = { value: T } | { error: string };
export type Parser<T> = (text: string) => Parsed<T>;

export const text: Parser<string> = (t) => ({ value: t });

/** A string matching a pattern; the message completes '"VALUE" is not ...'. */
export const pattern =
  (re: RegExp, what: string): Parser<string> =>
  (t) =>
    re.test(t) ? { value: t } : { error: `"${t}" is not ${what}` };

export const port: Parser<number> = (t) => {
  const n = Number(t);
  return /^\d+$/.test(t) && n >= 1 && n <= 65535
    ? { value: n }
    : { error: `"${t}" is not a port; use a whole number from 1 to 65535` };
};

export const integer =
  (min: number, max: number): Parser<number> =>
  (t) => {
    const n = Number(t);
    return /^\d+$/.test(t) && n >= min && n <= max
      ? { value: n }
      : { error: `"${t}" is not a whole number from ${min} to ${max}` };
  };

export const oneOf =
  <const T extends string>(choices: readonly T[]): Parser<T> =>
  (t) =>
    (choices as readonly string[]).includes(t)
      ? { value: t as T }
      : { error: `"${t}" is not one of ${choices.join(', ')}` };

/** A release version such as 1.31.2, 16 or 7.17.27 (no "latest": pins must be explicit). */
export const version: Parser<string> = (t) =>
  /^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/.test(t)
    ? { value: t }
    : { error: `"${t}" is not a version; use a release number such as 1.31.2` };

/**
 * One exact MAJOR.MINOR.PATCH release from `min` up to the last of major `maxMajor`: a constraint
 * such as `~> 4.0` is refused, since the same config must install the same provider everywhere.
 */
export const exactRelease =
  (min: string, maxMajor: number): Parser<string> =>
  (t) => {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(t);
    const range = `from ${min} up to the last ${maxMajor}.x`;
    if (!m)
      return {
        error: `"${t}" is not an exact release; use one version such as ${maxMajor}.0.0 (${range}), not a constraint`,
      };
    const [major, minor, patch] = m.slice(1).map(Number) as [number, number, number];
    const [a = 0, b = 0, c = 0] = min.split('.').map(Number);
    const below = major < a || (major === a && (minor < b || (minor === b && patch < c)));
    return below || major > maxMajor ? { error: `${t} is not supported; use a release ${range}` } : { value: t };
  };

export const duration =
  (minMs = 0, minText = '', maxMs = MAX_WAIT_MS): Parser<number> =>
  (t) => {
    const ms = parseDuration(t);
    if (ms === undefined) return { error: `"${t}" is not a duration; use a number with a unit, e.g. 72h or 7d` };
    if (ms < minMs) return { error: `${t} is shorter than the minimum of ${minText}` };
    if (ms > maxMs) return { error: `${t} is longer than the maximum of ${formatDuration(maxMs)}` };
    return { value: ms };
  };

/** A size with a unit as the JVM and Docker write it: 512m, 1g. */
export const memorySize: Parser<{ text: string; mib: number }> = (t) => {
  const m = /^(\d+)([mg])$/i.exec(t);
  if (!m) return { error: `"${t}" is not a memory size; use a number with m or g, e.g. 512m or 1g` };
  const mib = Number(m[1]) * (m[2]!.toLowerCase() === 'g' ? 1024 : 1);
  return mib > 0 ? { value: { text: t.toLowerCase(), mib } } : { error: `"${t}" must be larger than zero` };
};

/** A size as Docker's json-file log driver takes it (max-size), e.g. 10m: digits and k, m or g. */
export const logFileSize: Parser<string> = (t) =>
  /^[1-9]\d*[kmg]$/.test(t)
    ? { value: t }
    : { error: `"${t}" is not a log file size; use a number with k, m or g, e.g. 10m` };

/** A host name or IP address. */
export const host: Parser<string> = (t) =>
  /^[A-Za-z0-9.:[\]_-]+$/.test(t) ? { value: t } : { error: `"${t}" is not a host name or IP address` };

/** A Docker image reference, e.g. registry.example.com/temporalio/server:1.31.2. */
export const imageRef: Parser<string> = (t) =>
  /^[a-z0-9][a-z0-9._\-/:@]*$/i.test(t) && !/:latest$/.test(t)
    ? { value: t }
    : { error: `"${t}" is not a pinned image reference; use NAME:VERSION (never :latest)` };

/** An http(s) URL, or empty for "not set" (a cross-key rule decides whether it is required). */
export const optionalUrl: Parser<string> = (t) => {
  const ok = t === '' || (URL.canParse(t) && ['http:', 'https:'].includes(new URL(t).protocol));
  return ok ? { value: t } : { error: `"${t}" is not an http(s) URL` };
};

const splitList = (t: string): string[] =>
  t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
export const list: Parser<string[]> = (t) => ({ value: splitList(t) });

/** Origins as browsers send them (scheme://host[:port], no path), or `*`; the profile rule is in src/project/parse.ts. */
export const originList: Parser<string[]> = (t) => {
  const items = splitList(t);
  const bad = items.filter((o) => o !== '*' && !isOrigin(o));
  return bad.length === 0
    ? { value: items }
    : {
        error: `${bad.map((o) => `"${o}"`).join(', ')} is not an origin; use scheme://host[:port], e.g. https://temporal.example.com`,
      };
};

function isOrigin(o: string): boolean {
  try {
    const u = new URL(o);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
  } catch {
    return false;
  }
}

export interface DeclaredNamespace {
  name: string;
  retentionMs: number;
}

/** "media-planner:7d,billing:30d": namespaces that start ensures. */
export const namespaceList =
  (minRetentionMs: number): Parser<DeclaredNamespace[]> =>
  (t) => {
    const result: DeclaredNamespace[] = [];
    for (const item of splitList(t)) {
      const [name = '', retention = ''] = item.split(':');
      const problem = namespaceNameProblem(name);
      if (problem) return { error: `${problem} (in "${item}")` };
      const parsed = retention === '' ? undefined : duration(minRetentionMs, '1d', MAX_SPAN_MS)(retention);
      if (!parsed) return { error: `"${item}" has no retention; write NAME:RETENTION, e.g. ${name}:7d` };
      if ('error' in parsed) return { error: `${parsed.error} (in "${item}")` };
      result.push({ name, retentionMs: parsed.value });
    }
    return { value: result };
  };
