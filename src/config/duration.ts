// Human durations as Temporal's CLI accepts them: "72h", "7d", "1h30m", "500ms", "90s".
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Parses a duration into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(trimmed); m; m = PART.exec(trimmed)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = PART.lastIndex;
  }
  return consumed === trimmed.length ? total : undefined;
}

/** Formats milliseconds the way users write them: 7d, 72h, 1h30m, 45s. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % UNIT_MS.d! === 0) return `${ms / UNIT_MS.d!}d`;
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/**
 * A positive duration in milliseconds, or an Error naming the problem. `examples` completes
 * "use a number with a unit, e.g. …" for values with their own scale (retention).
 */
export function parsePositiveDuration(
  text: string,
  examples = '500ms, 30s or 10m',
  maxMs: number = MAX_WAIT_MS,
): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`"${text}" is not a duration; use a number with a unit, e.g. ${examples}.`);
  if (ms <= 0) throw new Error(`"${text}" is zero; use a duration longer than zero, e.g. ${examples}.`);
  if (ms > maxMs)
    throw new Error(
      `"${text}" is longer than the maximum of ${formatDuration(maxMs)}; use a shorter one, e.g. ${examples}.`,
    );
  return ms;
}

/**
 * The longest wait temporal-ctl takes (timeouts, intervals): a day. Node's timers hold at most
 * 2^31-1 ms (24.8 days); a longer delay fires at once, so every call would time out immediately.
 */
export const MAX_WAIT_MS = 86_400_000;
/** The longest look back (logs --since) and the longest retention: ten years. */
export const MAX_SPAN_MS = 3650 * 86_400_000;

/** How long something took, to a tenth of a second: 12s300ms, 1m5s. */
export const formatElapsed = (ms: number): string => formatDuration(Math.round(ms / 100) * 100);
