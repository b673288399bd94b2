import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CtlError, OperationError, UsageError } from '../../src/errors.js';
import { GrpcCode, temporalError } from '../../src/temporal/grpc-errors.js';

const ctx = { action: 'create namespace "billing"', address: '127.0.0.1:7233', namespace: 'billing' };
const grpc = (code: number, details: string) => Object.assign(new Error(`${code} X: ${details}`), { code, details });

function mapped(error: unknown): CtlError {
  const result = temporalError(error, ctx);
  assert.ok(result instanceof CtlError, `expected a CtlError, got ${String(result)}`);
  return result;
}

describe('gRPC error mapping', () => {
  const cases: Array<[string, number, RegExp, 1 | 2, RegExp | undefined]> = [
    ['NOT_FOUND', GrpcCode.NOT_FOUND, /^namespace "billing" does not exist on 127\.0\.0\.1:7233$/, 1, /namespace list/],
    [
      'ALREADY_EXISTS',
      GrpcCode.ALREADY_EXISTS,
      /^namespace "billing" already exists on 127\.0\.0\.1:7233$/,
      1,
      /--if-not-exists/,
    ],
    [
      'PERMISSION_DENIED',
      GrpcCode.PERMISSION_DENIED,
      /refused to create namespace "billing": Request unauthorized\.$/,
      1,
      /--api-key/,
    ],
    ['UNAUTHENTICATED', GrpcCode.UNAUTHENTICATED, /refused to create namespace "billing"/, 1, /--api-key/],
    [
      'UNAVAILABLE',
      GrpcCode.UNAVAILABLE,
      /^cannot reach the Temporal frontend at 127\.0\.0\.1:7233 to create namespace "billing"/,
      1,
      /temporal-ctl status/,
    ],
    [
      'DEADLINE_EXCEEDED',
      GrpcCode.DEADLINE_EXCEEDED,
      /did not answer in time to create namespace "billing"$/,
      1,
      /temporal-ctl status/,
    ],
    [
      'INVALID_ARGUMENT',
      GrpcCode.INVALID_ARGUMENT,
      /^the server rejected the request to create namespace "billing": Request unauthorized\.$/,
      2,
      undefined,
    ],
    [
      'INTERNAL',
      13,
      /^failed to create namespace "billing" on 127\.0\.0\.1:7233: Request unauthorized\.$/,
      1,
      undefined,
    ],
  ];
  for (const [name, code, message, exitCode, hint] of cases) {
    it(`maps ${name} to one sentence with exit code ${exitCode}`, () => {
      const e = mapped(grpc(code, 'Request unauthorized.'));
      assert.match(e.message, message);
      assert.equal(e.exitCode, exitCode);
      assert.ok(!e.message.includes('\n'), 'one line');
      if (hint) assert.match(e.hint ?? '', hint);
    });
  }
  it('maps the connect timeout of Connection.connect (no gRPC code) to unreachable with the status hint', () => {
    const e = mapped(new Error('Failed to connect before the deadline'));
    assert.ok(e instanceof OperationError);
    assert.equal(
      e.message,
      'cannot reach the Temporal frontend at 127.0.0.1:7233 (Failed to connect before the deadline)',
    );
    assert.match(e.hint ?? '', /run `temporal-ctl status`/);
  });
  it('passes CtlErrors and programming errors through unchanged', () => {
    const usage = new UsageError('x');
    assert.equal(temporalError(usage, ctx), usage);
    const bug = new TypeError('undefined is not a function');
    assert.equal(temporalError(bug, ctx), bug);
  });
});
