// Runs an external program through zx (loaded on first use), never through a shell
// string we build ourselves: zx quotes every argument.
import type { Env } from '../docker/client.js';
import type { Output } from '../output.js';

export interface ExecIO {
  env: Env;
  out: Output;
  /** Show the command and stream its output to stderr. */
  verbose: boolean;
}

export interface ExecResult {
  /** null when the program could not be started at all. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The command line as a person would type it. */
  command: string;
}

/** Exit code a shell gives for "command not found". */
export const NOT_FOUND = 127;

/** `onLine` receives stdout line by line as it arrives (terraform's -json events). */
export async function exec(
  bin: string,
  args: string[],
  io: ExecIO,
  cwd?: string,
  onLine?: (line: string) => void,
): Promise<ExecResult> {
  const { $, quote } = await import('zx');
  const command = [bin, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quote(a))).join(' ');
  if (io.verbose) io.out.info(io.out.dim(`$ ${cwd ? `(cd ${cwd}) ` : ''}${command}`));
  const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
  const child = $({ cwd, env, nothrow: true, quiet: true, verbose: false })`${bin} ${args}`;
  if (onLine) {
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.stdout.on('end', () => rest && onLine(rest));
  }
  if (io.verbose) {
    child.stdout.on('data', (d: Buffer) => io.out.streams.stderr.write(d));
    child.stderr.on('data', (d: Buffer) => io.out.streams.stderr.write(d));
  }
  const result = await child;
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, command };
}
