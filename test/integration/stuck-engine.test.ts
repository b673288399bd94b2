// A Docker engine that accepts connections and never answers: every command that talks to it ends
// within TEMPORAL_DOCKER_TIMEOUT (plus Node's start-up) with one sentence naming DOCKER_HOST and
// the timeout, instead of hanging. Stand-in: a real dockerd cannot be made to hang on purpose (and
// the shared engine must not be), so a loopback server plays the hung engine: it accepts every
// connection, reads the request and never writes a byte back.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { noStackTrace, runCtl } from './docker-fixture.js';

const TIMEOUT_MS = 2_000;
/** Node's start-up and the CLI's imports on a loaded 2-core machine; a hang would take forever. */
const MARGIN_MS = 4_000;

interface HungEngine {
  host: string;
  /** Connections accepted so far (the CLI did reach it). */
  accepted: () => number;
  close: () => Promise<void>;
}

async function hungEngine(listen: (server: Server) => Promise<string>): Promise<HungEngine> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read the request, answer nothing
  });
  let count = 0;
  server.on('connection', () => count++);
  const host = await listen(server);
  return {
    host,
    accepted: () => count,
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/** A port nothing listens on (so status's probes fail fast and only the engine is slow). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

describe('a Docker engine that accepts connections and never answers', { concurrency: false }, () => {
  let dir: string;
  let envFile: string;
  /** An upload larger than the socket buffers: the clock runs while it flows and after it is sent. */
  let tarFile: string;
  let unix: HungEngine;
  let tcp: HungEngine;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tctl-stuck-'));
    envFile = join(dir, 'temporal.env');
    const keys = [
      'TEMPORAL_GRPC_PORT',
      'TEMPORAL_HTTP_PORT',
      'TEMPORAL_UI_PORT',
      'POSTGRES_PORT',
      'ELASTICSEARCH_PORT',
    ];
    const ports = await Promise.all(keys.map(async (k) => `${k}=${await closedPort()}`));
    await writeFile(
      envFile,
      [`TEMPORAL_PROJECT=tctl-stuck`, `TEMPORAL_DOCKER_TIMEOUT=${TIMEOUT_MS / 1000}s`, ...ports].join('\n') + '\n',
    );
    tarFile = join(dir, 'images.tar');
    await writeFile(tarFile, Buffer.alloc(8 << 20));
    const socketPath = join(dir, 'docker.sock');
    unix = await hungEngine(
      (server) => new Promise((ok) => server.listen(socketPath, () => ok(`unix://${socketPath}`))),
    );
    tcp = await hungEngine(
      (server) =>
        new Promise((ok) =>
          server.listen(0, '127.0.0.1', () => ok(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`)),
        ),
    );
  });

  after(async () => {
    await unix?.close();
    await tcp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sentence = (host: string) =>
    new RegExp(
      `Docker engine at ${host.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(DOCKER_HOST\\) did not answer within 2s: .*raise TEMPORAL_DOCKER_TIMEOUT`,
    );

  for (const args of [
    ['stop'],
    ['logs'],
    ['logs', '--follow'],
    ['down'],
    ['restart'],
    ['images', 'list'],
    ['images', 'load', '<tar>'],
    ['start'],
  ]) {
    it(`${args.join(' ')} exits 1 within the timeout with one sentence naming DOCKER_HOST and the timeout`, async (t) => {
      const before = unix.accepted();
      const argv = args.map((a) => (a === '<tar>' ? tarFile : a));
      const r = await runCtl(['--env-file', envFile, ...argv], { DOCKER_HOST: unix.host });
      assert.equal(r.code, 1, r.stderr);
      assert.ok(unix.accepted() > before, 'the CLI reached the hung engine');
      assert.ok(r.ms >= TIMEOUT_MS, `waited for the engine (${r.ms} ms)`);
      // start asks the engine twice: its already-running check (which tolerates an engine error) and the prerequisites.
      const calls = args[0] === 'start' ? 2 : 1;
      assert.ok(r.ms < calls * TIMEOUT_MS + MARGIN_MS, `gave up in ${r.ms} ms`);
      assert.match(r.stderr, sentence(unix.host));
      noStackTrace(r);
      t.diagnostic(`gave up after ${r.ms} ms`);
    });
  }

  it('status exits 1 within the timeout, warning that the engine did not answer (the probes decide)', async (t) => {
    const r = await runCtl(['--env-file', envFile, 'status'], { DOCKER_HOST: unix.host });
    t.diagnostic(`gave up after ${r.ms} ms`);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms >= TIMEOUT_MS && r.ms < TIMEOUT_MS + MARGIN_MS, `gave up in ${r.ms} ms`);
    assert.match(r.stderr, sentence(unix.host));
    assert.match(r.stderr, /container states are unknown, the probes decide/);
  });

  it('the same over DOCKER_HOST=tcp:// (stop and status)', async (t) => {
    for (const args of [['stop'], ['status']]) {
      const r = await runCtl(['--env-file', envFile, ...args], { DOCKER_HOST: tcp.host });
      t.diagnostic(`${args[0]} gave up after ${r.ms} ms`);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.ms >= TIMEOUT_MS && r.ms < TIMEOUT_MS + MARGIN_MS, `${args[0]} gave up in ${r.ms} ms`);
      assert.match(r.stderr, sentence(tcp.host));
    }
    assert.ok(tcp.accepted() > 0);
  });
});
