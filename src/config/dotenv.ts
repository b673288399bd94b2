// A strict reader for temporal.env (dotenv syntax). Unlike the permissive dotenv
// package it reports malformed lines, so a typo never silently drops a setting.

export interface DotenvResult {
  values: Record<string, string>;
  /** "line N: message" for every malformed line. */
  errors: string[];
}

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (!match) {
      // The line is not echoed: it may be a secret (a password pasted without its KEY=).
      errors.push(`line ${index + 1}: expected KEY=value, ${malformed(line)}`);
      return;
    }
    const value = unquote(match[2]!);
    if (value === undefined) {
      errors.push(`line ${index + 1}: unterminated quote in ${match[1]}`);
      return;
    }
    values[match[1]!] = value;
  });
  return { values, errors };
}

function unquote(rawValue: string): string | undefined {
  const value = rawValue.trim();
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const end = value.indexOf(quote, 1);
    if (end < 0) return undefined;
    const inner = value.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
  }
  // Unquoted: an inline comment starts at " #".
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

/** What is wrong with a line, without quoting it. */
function malformed(line: string): string {
  const eq = line.indexOf('=');
  if (eq < 0) return "found no '='";
  const name = line
    .slice(0, eq)
    .trim()
    .replace(/^export\s+/, '');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
    ? 'got something else'
    : "the name before '=' is not a key (letters, digits and '_', not starting with a digit)";
}
