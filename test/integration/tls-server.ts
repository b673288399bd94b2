// A second, real Temporal server (the test environment's 1.32.2 binary) with TEMPORAL_TLS on: its
// own project directory, certificates from `temporal-ctl certs create`, its own databases on the
// test environment's PostgreSQL (SQL visibility), its own ports. Its environment comes from
// `temporal-ctl config env` (the stack's contract, the files read on the host), as scripts/test-env
// does for the plain server. Its own databases keep it out of the plain server's membership ring.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { ROLE_PORTS } from '../../src/model/temporal-env.js';
import { cliEnv, spawnCli } from '../support/cli.js';
import type { TestEnv } from '../support/env.js';

/**
 * A free loopback port below 32768: the server stores membership ports in a PostgreSQL smallint,
 * so the kernel's ephemeral ports (from 32768) do not fit.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, 'bin', 'temporal-ctl');

export interface TlsServer {
  readonly dir: string;
  readonly envFile: string;
  readonly address: string;
  /** What `certs create -o json` printed. */
  readonly certs: { ca: string; clientCert: string; clientKey: string; serverName: string };
  readonly log: string;
  /** False once the server process has exited. */
  alive(): boolean;
  stop(): Promise<void>;
}

const splitKv = (kv: string): [string, string] => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)];

/** `temporal-ctl config env` output as KEY=value words, read back by bash as scripts/test-env does. */
async function contractWords(envFile: string, args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [BIN, '--env-file', envFile, 'config', 'env', ...args], {
    env: cliEnv(),
  });
  const words = await run('bash', ['-c', 'set -eu; eval "A=($1)"; printf "%s\\0" "${A[@]}"', 'bash', stdout]);
  return words.stdout.split('\0').slice(0, -1);
}

/** The contract's placement flags without its role ports (this server takes free ones). */
function withoutRolePorts(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--role-port') i++;
    else out.push(flags[i]!);
  }
  return out;
}

export async function startTlsServer(e: TestEnv, mode: 'server' | 'mtls'): Promise<TlsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'tctl-tls-'));
  const db = `tls_${process.pid}_${Date.now().toString(36)}`;
  const ports = Object.fromEntries(await Promise.all(ROLE_PORTS.map(async (p) => [p, await freePort()] as const)));
  const values: Record<string, string> = {
    ...Object.fromEntries(e.temporal.contract.config.map(splitKv)),
    TEMPORAL_PROJECT: 'tctl-tls',
    TEMPORAL_TLS: mode,
    TEMPORAL_VISIBILITY: 'postgres',
    TEMPORAL_DB: db,
    TEMPORAL_VISIBILITY_DB: `${db}_vis`,
    TEMPORAL_GRPC_PORT: String(ports.FRONTEND_GRPC_PORT),
    TEMPORAL_HTTP_PORT: String(ports.FRONTEND_HTTP_PORT),
    TEMPORAL_UI_PORT: String(await freePort()),
    POSTGRES_PORT: String(e.postgres.port),
  };
  const envFile = join(dir, 'temporal.env');
  await writeFile(
    envFile,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const created = await spawnCli(['--env-file', envFile, 'certs', 'create', '-o', 'json'], { bin: BIN, env: cliEnv() });
  if (created.code !== 0) throw new Error(`certs create failed: ${created.stderr}`);
  const certs = JSON.parse(created.stdout) as TlsServer['certs'];

  const schemaEnv = Object.fromEntries(
    (await contractWords(envFile, ['--service', 'schema', ...e.temporal.contract.schema])).map(splitKv),
  );
  await run('sh', [e.temporal.schemaScript], {
    env: { PATH: `${dirname(e.temporal.esTool)}:${process.env.PATH}`, ...schemaEnv },
  });

  const placement = [
    ...withoutRolePorts(e.temporal.contract.server),
    ...ROLE_PORTS.flatMap((p) => ['--role-port', `${p}=${ports[p]}`]),
    '--tls-files-on-host',
  ];
  const serverEnv = Object.fromEntries(
    (await contractWords(envFile, ['--service', 'server', ...placement])).map(splitKv),
  );
  const log = join(dir, 'temporal.log');
  const out = openSync(log, 'a');
  const child: ChildProcess = spawn(e.temporal.binary, ['--allow-no-auth', 'start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...serverEnv },
    stdio: ['ignore', out, out],
  });
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const stop = async () => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
    const client = new pg.Client({
      host: e.postgres.host,
      port: e.postgres.port,
      user: e.postgres.user,
      password: e.postgres.password,
      database: 'postgres',
    });
    await client.connect();
    for (const name of [db, `${db}_vis`]) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, envFile, address: `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`, certs, log, alive: () => running, stop };
}
