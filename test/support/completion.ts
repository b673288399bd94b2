// Generated completion scripts, written to temp files for the shells to source.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tctl-completion-'));

/** `temporal-ctl completion SHELL`, run in-process, saved to a file; returns its path. */
export async function completionFile(shell: 'bash' | 'zsh' | 'fish'): Promise<string> {
  const r = await runCli(['completion', shell]);
  if (r.code !== 0) throw new Error(`completion ${shell} exited ${r.code}: ${r.stderr}`);
  const file = join(dir, `temporal-ctl.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

/** Words of a command line as a shell array literal: every word single-quoted. */
export const shellWords = (words: string[]): string => words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
