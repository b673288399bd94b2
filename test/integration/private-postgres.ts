// A private PostgreSQL cluster for destructive probe tests (stop it, break its schema)
// without touching the shared test environment. Uses the test env's PostgreSQL binaries.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/free-ports.js';

const run = promisify(execFile);

export interface PrivatePostgres {
  port: number;
  user: string;
  password: string;
  /** Runs SQL through psql in database db. */
  psql(db: string, sql: string): Promise<string>;
  stop(): Promise<void>;
  /** Starts the server unless it runs. */
  start(): Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy(): Promise<void>;
}

/** initdb + pg_ctl start as a non-root user (PostgreSQL refuses to run as root). */
export async function startPrivatePostgres(binDir: string): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'tctl-probe-pg-'));
  const user = 'temporal';
  const password = 'private-secret';
  const asRoot = process.getuid?.() === 0;
  const sh = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  await writeFile(join(dir, 'pw'), `${password}\n`);
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
    await chown(join(dir, 'pw'), uid, gid);
  }
  await chmod(dir, 0o700);
  const port = await freePort();
  const data = join(dir, 'data');
  await sh(join(binDir, 'initdb'), [
    '-D',
    data,
    '-U',
    user,
    '--auth=scram-sha-256',
    `--pwfile=${join(dir, 'pw')}`,
    '--no-sync',
  ]);
  const ctl = (...args: string[]) => sh(join(binDir, 'pg_ctl'), ['-D', data, '-w', ...args]);
  const running = () =>
    sh(join(binDir, 'pg_ctl'), ['-D', data, 'status']).then(
      () => true,
      () => false,
    );
  const start = async () =>
    void (
      (await running()) ||
      (await ctl(
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-l',
        join(dir, 'log'),
        'start',
      ))
    );
  await start();
  const env = { ...process.env, PGPASSWORD: password };
  return {
    port,
    user,
    password,
    psql: async (db, sql) =>
      (
        await promisify(execFile)(
          join(binDir, 'psql'),
          ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-Atc', sql],
          { env },
        )
      ).stdout.trim(),
    stop: async () => void (await ctl('-m', 'fast', 'stop').catch(() => undefined)),
    start,
    destroy: async () => {
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
