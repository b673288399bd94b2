// Sets keys in temporal.env for a command that changes what the cluster runs (upgrade records the
// new server version there, so the next start runs it too). Every other line, comments included,
// stays as the user wrote it; the file is replaced atomically with its mode kept.
import { existsSync, readFileSync, statSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

const KEY_LINE = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=).*$/;

/**
 * The file's text with each key's assignment replaced (every assignment: the reader keeps the last,
 * and a stale earlier one would mislead a reader of the file), or appended when it has none.
 */
export function withKeysSet(text: string, values: Readonly<Record<string, string>>, note: string): string {
  const pending = new Set(Object.keys(values));
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const edited = lines.map((line) => {
    const m = KEY_LINE.exec(line);
    const key = m?.[2];
    if (!m || key === undefined || !(key in values)) return line;
    pending.delete(key);
    return `${m[1]}${key}${m[3]}${values[key]}`;
  });
  if (pending.size) edited.push(`# ${note}`, ...[...pending].map((k) => `${k}=${values[k]}`));
  return `${edited.join('\n')}\n`;
}

/** Writes the keys into the env file (created with mode 600 when missing). */
export function setEnvFileKeys(file: string, values: Readonly<Record<string, string>>, note: string): void {
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, 'utf8') : '';
  const mode = exists ? statSync(file).mode & 0o777 : 0o600;
  writeFileAtomic.sync(file, withKeysSet(text, values, note), { mode }); // never half an env file
}
