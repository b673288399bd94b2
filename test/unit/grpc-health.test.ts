// The BusyBox gRPC health check, run as far as it can be without a container: its printf writes the
// request bytes, a real HTTP/2 server (node:http2, standing in for the frontend) answers them, and its
// od | tr | grep reads that answer. Only nc, the socket between them, is Node's here.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { createServer, constants, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WORKFLOW_SERVICE } from '../../src/model/temporal-api.js';
import { grpcHealthCommand, healthRequestBytes } from '../../stacks/grpc-health.js';

function frames(bytes: number[]) {
  const preface = Buffer.from(bytes.slice(0, 24)).toString('latin1');
  const out: { type: number; flags: number; stream: number; payload: number[] }[] = [];
  for (let i = 24; i < bytes.length; ) {
    const len = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push({
      type: bytes[i + 3]!,
      flags: bytes[i + 4]!,
      stream: bytes[i + 8]!,
      payload: bytes.slice(i + 9, i + 9 + len),
    });
    i += 9 + len;
  }
  return { preface, out };
}

test('the request is preface, SETTINGS, HEADERS for Health/Check and one DATA frame naming the workflow service', () => {
  const { preface, out } = frames(healthRequestBytes());
  assert.equal(preface, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
  assert.deepEqual(
    out.map((f) => [f.type, f.flags, f.stream]),
    [
      [4, 0, 0],
      [1, 4, 1],
      [0, 1, 1],
    ],
  );
  assert.ok(Buffer.from(out[1]!.payload).toString('latin1').includes('/grpc.health.v1.Health/Check'));
  assert.ok(Buffer.from(out[1]!.payload).toString('latin1').includes('application/grpc'));
  const data = out[2]!.payload;
  assert.deepEqual(data.slice(0, 5), [0, 0, 0, 0, data.length - 5], 'gRPC length prefix');
  assert.equal(Buffer.from(data.slice(7)).toString('latin1'), WORKFLOW_SERVICE);
});

/** The command's parts: what it writes (printf), where to (nc), and how it reads the answer. */
function parts(command: string): { write: string; host: string; port: number; read: string } {
  const m = /^\((printf '(?:\\[0-7]{3})+'); sleep 1\) \| nc (\S+) (\d+) \| (.+)$/.exec(command);
  assert.ok(m, `not (printf ...; sleep 1) | nc HOST PORT | ...: ${command}`);
  return { write: m[1]!, host: m[2]!, port: Number(m[3]), read: m[4]! };
}

/** grpc.health.v1.HealthCheckResponse.ServingStatus */
const STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;

/** A gRPC message: uncompressed flag, 4-byte length, the protobuf bytes. */
const grpcMessage = (protobuf: number[]) => Buffer.from([0, 0, 0, 0, protobuf.length, ...protobuf]);

/** How the frontend may answer a Check: a status message (as grpc-go sends it), or an error status alone. */
type Answer = { status: number } | { grpcError: number };

interface Seen {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends `request` to a real HTTP/2 server that answers with `answer`, the way grpc-go's health
 * service does: HEADERS, one DATA frame, trailers with grpc-status; or an error status alone. Returns
 * every byte the server sent (what nc would print) and the request it received.
 */
async function exchange(request: Buffer, answer: Answer): Promise<{ response: Buffer; seen: Seen }> {
  let seen: Seen | undefined;
  const server = createServer();
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    const session = stream.session; // a closed stream no longer has it
    const body: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => body.push(chunk));
    stream.on('end', () => {
      seen = { headers, body: Buffer.concat(body) };
      if ('grpcError' in answer) {
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(answer.grpcError) },
          { endStream: true },
        );
      } else {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        // proto3 leaves a field at its default (UNKNOWN, 0) out of the message.
        stream.end(grpcMessage(answer.status === 0 ? [] : [0x08, answer.status]));
      }
    });
    // Once the answer is out, the server ends the connection: the client reads until then, as nc does.
    stream.on('close', () => session?.close());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write(request);
    // A request the server cannot take may leave the connection open (a reset stream): fail, not hang.
    await once(socket, 'close', { signal: AbortSignal.timeout(5000) }).catch(() => {
      socket.destroy();
      throw new Error(`no answer within 5 s: the server did not take the request (it saw ${JSON.stringify(seen)})`);
    });
    assert.ok(seen, 'the server received a complete request');
    return { response: Buffer.concat(received), seen };
  } finally {
    server.close();
  }
}

/** The command's reading end (od | tr | grep) on these bytes: its exit code. */
async function verdict(read: string, response: Buffer): Promise<number | null> {
  const child = spawn('sh', ['-c', read], { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin.end(response);
  const [code] = await once(child, 'close');
  return code as number | null;
}

test('the command writes a request a real HTTP/2 server takes as Health/Check of the workflow service', async () => {
  const { write, host, port } = parts(grpcHealthCommand('127.0.0.1', 7233));
  assert.deepEqual([host, port], ['127.0.0.1', 7233]);
  const request = execFileSync('sh', ['-c', write]); // the shell's printf, as BusyBox's runs it
  assert.deepEqual([...request], healthRequestBytes());
  const { seen } = await exchange(request, { status: STATUS.SERVING });
  assert.equal(seen.headers[constants.HTTP2_HEADER_METHOD], 'POST');
  assert.equal(seen.headers[constants.HTTP2_HEADER_PATH], '/grpc.health.v1.Health/Check');
  assert.equal(seen.headers[constants.HTTP2_HEADER_CONTENT_TYPE], 'application/grpc');
  assert.equal(seen.headers.te, 'trailers');
  const service = Buffer.from(WORKFLOW_SERVICE, 'latin1');
  assert.deepEqual(seen.body, grpcMessage([0x0a, service.length, ...service]), 'HealthCheckRequest{service}');
});

test('the command succeeds on SERVING and fails on every other answer', async () => {
  const { write, read } = parts(grpcHealthCommand('127.0.0.1', 7233));
  const request = execFileSync('sh', ['-c', write]);
  const cases: [string, Answer, number][] = [
    ['SERVING', { status: STATUS.SERVING }, 0],
    ['NOT_SERVING (membership not ready yet)', { status: STATUS.NOT_SERVING }, 1],
    ['UNKNOWN', { status: STATUS.UNKNOWN }, 1],
    ['SERVICE_UNKNOWN', { status: STATUS.SERVICE_UNKNOWN }, 1],
    ['NOT_FOUND (a service the health server does not know)', { grpcError: 5 }, 1],
  ];
  for (const [what, answer, expected] of cases) {
    const { response } = await exchange(request, answer);
    assert.equal(await verdict(read, response), expected, what);
  }
  assert.equal(await verdict(read, Buffer.alloc(0)), 1, 'no answer (a closed port)');
});
