// The bytes of the BusyBox gRPC health check decode to a well-formed HTTP/2 gRPC request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WORKFLOW_SERVICE } from '../../src/model/temporal-api.js';
import { grpcHealthCommand, healthRequestBytes, SERVING_HEX } from '../../stacks/grpc-health.js';

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

test('the command pipes the request through nc to the given address and succeeds only on SERVING', () => {
  const command = grpcHealthCommand('127.0.0.1', 7233);
  assert.match(
    command,
    /^\(printf '(\\[0-7]{3})+'; sleep 1\) \| nc 127\.0\.0\.1 7233 \| od -An -tx1 \| tr -d ' \\n' \| grep -q 00000000020801$/,
  );
  assert.equal(SERVING_HEX, '00000000020801');
});
