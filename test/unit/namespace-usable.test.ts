// waitUntilUsable's decisions with a scripted frontend (the real registry's behaviour is in
// test/integration/namespace-usable.test.ts): which answers mean "not yet", the bound, the message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '@temporalio/client';
import { OperationError } from '../../src/errors.js';
import { waitUntilUsable } from '../../src/namespaces/namespace-usable.js';
import { GrpcCode } from '../../src/temporal/grpc-errors.js';

const grpcError = (code: number, details: string) =>
  Object.assign(new Error(`${code} X: ${details}`), { code, details });

/** A connection whose listWorkflowExecutions answers from `script` (then succeeds), recording the requests. */
function frontend(script: Error[]): { conn: Connection; requests: unknown[] } {
  const requests: unknown[] = [];
  const workflowService = {
    listWorkflowExecutions: async (request: unknown) => {
      requests.push(request);
      const next = script.shift();
      if (next) throw next;
      return { executions: [] };
    },
  };
  return { conn: { workflowService } as unknown as Connection, requests };
}

describe('waitUntilUsable', () => {
  it('retries "namespace not found" and UNAVAILABLE, reports the wait once, and asks only one row of that namespace', async () => {
    const notFound = grpcError(GrpcCode.NOT_FOUND, 'Namespace billing is not found.');
    const { conn, requests } = frontend([notFound, notFound, grpcError(GrpcCode.UNAVAILABLE, 'connection reset')]);
    const reasons: string[] = [];
    const ms = await waitUntilUsable(conn, 'billing', { intervalMs: 1, onWaiting: (r) => reasons.push(r) });
    assert.equal(requests.length, 4);
    assert.deepEqual(requests[0], { namespace: 'billing', pageSize: 1 });
    assert.deepEqual(reasons, ['Namespace billing is not found.']);
    assert.ok(ms >= 0);
  });

  it('does not wait when the first call succeeds', async () => {
    const { conn, requests } = frontend([]);
    const reasons: string[] = [];
    await waitUntilUsable(conn, 'billing', { onWaiting: (r) => reasons.push(r) });
    assert.equal(requests.length, 1);
    assert.deepEqual(reasons, []);
  });

  it('passes any other failure through at once (e.g. permission denied)', async () => {
    const denied = grpcError(GrpcCode.PERMISSION_DENIED, 'no');
    const { conn, requests } = frontend([denied]);
    await assert.rejects(waitUntilUsable(conn, 'billing', { intervalMs: 1 }), (e) => e === denied);
    assert.equal(requests.length, 1);
  });

  it('gives up after the timeout with one sentence naming the namespace, the answer and what to run', async () => {
    const notFound = grpcError(GrpcCode.NOT_FOUND, 'Namespace billing is not found.');
    const { conn } = frontend(Array.from({ length: 1000 }, () => notFound));
    await assert.rejects(waitUntilUsable(conn, 'billing', { timeoutMs: 30, intervalMs: 5 }), (e: unknown) => {
      assert.ok(e instanceof OperationError);
      assert.equal(
        e.message,
        'namespace "billing" exists but workers still cannot use it after 30ms (the frontend answers: Namespace billing is not found.)',
      );
      assert.match(e.hint ?? '', /temporal-ctl namespace describe billing/);
      return true;
    });
  });
});
