// pg_dump and pg_restore inside the cluster's postgres container (docker exec), their data streamed
// over the Docker API: nothing is staged in the container, and a remote DOCKER_HOST works the same.
// The tools come with the postgres image, so their version always matches the server's.
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileHandle } from 'node:fs/promises';
import { demuxStream, startAttachedExec } from '../docker/container-exec.js';
import type { PostgresLogin } from '../stores/postgres-data.js';
import { OperationError, tailLines } from '../errors.js';

/** Called with the bytes moved so far. */
export type OnBytes = (bytes: number) => void;

/**
 * pg_dump -Fc of `database` (one consistent snapshot: a single repeatable-read transaction) written
 * to `file` from `offset`; resolves with the size written.
 */
export async function dumpDatabase(
  login: PostgresLogin,
  database: string,
  file: FileHandle,
  offset: number,
  onBytes: OnBytes,
  signal?: AbortSignal,
): Promise<number> {
  const cmd = ['pg_dump', ...login.args, '--format=custom', '--no-owner', '--no-privileges', '-d', database];
  const { stream, finished } = await startExec(login, cmd, false, signal);
  const stdout = new PassThrough();
  const stderr = collect(login, stream, stdout);
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      file.write(chunk, 0, chunk.length, offset + written).then(() => {
        written += chunk.length;
        onBytes(written);
        done();
      }, done);
    },
  });
  await pipeline(stdout, sink);
  await finished(`pg_dump of ${database}`, stderr());
  return written;
}

/** pg_restore into `database` (empty, just created) with its input read from `file`'s byte range. */
export async function restoreDatabase(
  login: PostgresLogin,
  database: string,
  file: FileHandle,
  range: { readonly offset: number; readonly size: number },
  onBytes: OnBytes,
  signal?: AbortSignal,
): Promise<void> {
  const cmd = ['pg_restore', ...login.args, '--no-owner', '--no-privileges', '--exit-on-error', '-d', database];
  const { stream, finished } = await startExec(login, cmd, true, signal);
  const stderr = collect(login, stream, new PassThrough().resume());
  const input = file.createReadStream({ start: range.offset, end: range.offset + range.size - 1, autoClose: false });
  let sent = 0;
  input.on('data', (chunk) => {
    sent += chunk.length;
    onBytes(sent);
  });
  // Ending our side (a half-close) is pg_restore's end of input; the exec's output then ends too.
  await Promise.all([pipeline(input, stream, { end: true }).catch(ignoreClosed), ended(stream)]);
  await finished(`pg_restore into ${database}`, stderr());
}

/** Starts cmd by docker exec; an abort closes the connection (the tool then ends on a broken pipe). */
async function startExec(login: PostgresLogin, cmd: string[], stdin: boolean, signal?: AbortSignal) {
  const { stream, exitCode } = await startAttachedExec(login.docker, login.containerId, cmd, login.env, stdin, signal);
  const finished = async (what: string, stderr: string): Promise<void> => {
    const code = await exitCode();
    if (code !== 0)
      throw new OperationError(`${what} failed with exit code ${code ?? 'unknown'}: ${tailLines(stderr, 4)}`);
  };
  return { stream, finished };
}

/** Splits the exec's multiplexed output: stdout into `stdout`, stderr kept; returns a reader of stderr. */
function collect(login: PostgresLogin, stream: Duplex, stdout: PassThrough): () => string {
  let stderr = '';
  const err = new Writable({
    write(chunk: Buffer, _e, done) {
      stderr += chunk.toString('utf8');
      done();
    },
  });
  demuxStream(login.docker, stream, stdout, err);
  stream.once('end', () => stdout.end());
  stream.once('close', () => stdout.end());
  return () => stderr;
}

const ended = (stream: Duplex): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });

/** pg_restore that failed early closes the connection while input is still flowing: its exit code says why. */
function ignoreClosed(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_PREMATURE_CLOSE' && error.code !== 'ECONNRESET') throw error;
}
