// The Docker deadline bounds the wait for the engine's answer, not what legitimately takes longer:
// a quiet `logs -f` stream, a stop's grace period. A scripted HTTP server on a unix socket plays the
// engine (timings a real engine cannot be made to keep); the integration test
// test/integration/stuck-engine.test.ts runs the CLI against a hung one.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { connectDocker } from '../../src/docker/client.js';

const DEADLINE = { ms: 400, key: 'TEMPORAL_DOCKER_TIMEOUT' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: Server;
let host: string;

before(async () => {
  const socket = join(mkdtempSync(join(tmpdir(), 'tctl-deadline-')), 'engine.sock');
  host = `unix://${socket}`;
  server = createServer(async (req, res) => {
    const url = req.url ?? '';
    if (url.includes('/stop')) {
      await sleep(700); // within t=1 of grace, past the bare deadline
      res.writeHead(204).end();
    } else if (url.includes('/logs')) {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      res.flushHeaders();
      await sleep(900); // a quiet service: longer than the deadline without a line
      res.end('late line\n');
    } else if (url.includes('/json')) {
      await sleep(5_000); // never in time
      res.writeHead(200).end('{}');
    } else res.writeHead(404).end('{"message":"no"}');
  });
  await new Promise<void>((ok) => server.listen(socket, ok));
});

after(() => {
  server.closeAllConnections();
  server.close();
});

test('a follow stream may idle longer than the deadline once the engine has answered', async () => {
  const { docker } = await connectDocker({ DOCKER_HOST: host }, DEADLINE);
  const stream = (await docker
    .getContainer('x')
    .logs({ follow: true, stdout: true, stderr: true })) as unknown as Readable;
  let body = '';
  for await (const chunk of stream) body += chunk.toString();
  assert.equal(body, 'late line\n');
});

test('a stop gets its grace period on top of the deadline', async () => {
  const { docker } = await connectDocker({ DOCKER_HOST: host }, DEADLINE);
  await docker.getContainer('x').stop({ t: 1 });
});

test('a call the engine does not answer in time fails with one sentence naming the host and the deadline', async () => {
  const { docker } = await connectDocker({ DOCKER_HOST: host }, DEADLINE);
  const started = performance.now();
  await assert.rejects(docker.getContainer('x').inspect(), (error: Error) => {
    assert.equal(
      error.message,
      `Docker engine at ${host} (DOCKER_HOST) did not answer within 400ms: check it with \`docker info\` and restart it if that hangs too, or raise TEMPORAL_DOCKER_TIMEOUT for a slow engine`,
    );
    return true;
  });
  const took = performance.now() - started;
  assert.ok(took >= 390 && took < 2_000, `gave up after ${Math.round(took)} ms`);
});
