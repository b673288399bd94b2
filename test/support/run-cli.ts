// Runs temporal-ctl in-process through run(argv) with captured stdout/stderr and a given
// environment (by default PATH and NO_COLOR only: nothing of the developer's settings leaks in).
import { PassThrough, Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliInput {
  /** Process environment of the run; default: PATH only and NO_COLOR. */
  env?: Record<string, string | undefined>;
  /** Text typed on a (fake) terminal; without it stdin is not a terminal. */
  typed?: string;
}

export async function runCli(argv: string[], input: CliInput = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
  if (input.typed !== undefined) {
    stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(input.typed);
  }
  const env = input.env ?? { PATH: process.env.PATH, NO_COLOR: '1' };
  const code = await run(argv, { env, streams: { stdout, stderr, stdin } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
