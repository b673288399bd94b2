// A parser of the Prometheus text exposition format (version 0.0.4), the format the server's
// /metrics endpoint answers in. Only what a summary needs: samples with their labels; HELP and
// TYPE lines are skipped (the summary knows which metric is a counter, gauge or histogram).
// Written here rather than taken from npm: parse-prometheus-text-format, the one library that
// fits, has had no release in years, ships no types and groups histograms into its own shape;
// sample lines are a small, fixed grammar.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Every sample of an exposition (or of the metrics `wanted` names: the server writes ~14,000
 * series, and a summary reads a tenth of them); a malformed line throws with its line number.
 */
export function parseExposition(text: string, wanted?: ReadonlySet<string>): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (wanted && !wanted.has(NAME.exec(line)?.[0] ?? '')) continue;
    try {
      samples.push(parseSample(line));
    } catch (error) {
      throw new Error(`metrics line ${i + 1}: ${(error as Error).message}: ${line.slice(0, 120)}`);
    }
  }
  return samples;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** `name{label="value",...} value [timestamp]` */
function parseSample(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error('no metric name');
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const end = labelsEnd(rest);
    labels = parseLabels(rest.slice(1, end));
    rest = rest.slice(end + 1);
  }
  const [value] = rest.trim().split(/\s+/); // a timestamp may follow: not needed
  return { name, labels, value: parseValue(value ?? '') };
}

/** Index of the `}` that closes the label set (a `}` inside a quoted value does not). */
function labelsEnd(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '}') return i;
  }
  throw new Error('unclosed label set');
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;
  while (pair.lastIndex < text.length) {
    const m = pair.exec(text);
    if (!m) throw new Error('bad label');
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value "${text}"`);
  return value;
}
