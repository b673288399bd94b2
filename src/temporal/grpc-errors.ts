// The one place that turns a gRPC failure from the frontend into one sentence and
// an exit code. Pure (no @temporalio/client import) so --help stays fast and it unit-tests.
import { CtlError, OperationError, UsageError } from '../errors.js';

/** gRPC status codes (grpc/status.proto); fixed by the protocol. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface ErrorContext {
  /** What was attempted, e.g. 'create namespace "billing"'; 'connect' for the dial itself. */
  action: string;
  address: string;
  /** The namespace the call was about, for NOT_FOUND / ALREADY_EXISTS sentences. */
  namespace?: string;
}

const STATUS_HINT = 'run `temporal-ctl status` to see which part of the cluster is down';

/** The gRPC status code of an error, or undefined when it is not a gRPC failure. */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function detail(error: unknown): string {
  const e = error as { details?: unknown; message?: unknown };
  const text = typeof e.details === 'string' && e.details !== '' ? e.details : String(e.message ?? error);
  return text.replace(/^\d+ [A-Z_]+: /, '').trim();
}

/** Maps any failure of a Temporal call to a CtlError; non-gRPC programming errors pass through unchanged. */
export function temporalError(error: unknown, ctx: ErrorContext): unknown {
  if (error instanceof CtlError) return error;
  const code = grpcCode(error);
  const ns = ctx.namespace === undefined ? 'the namespace' : `namespace "${ctx.namespace}"`;
  const why = detail(error);
  // Connection.connect's own failure carries no gRPC code.
  if (code === undefined && /failed to connect|connect ECONNREFUSED|before the deadline/i.test(why)) {
    return new OperationError(`cannot reach the Temporal frontend at ${ctx.address} (${why})`, {
      hint: STATUS_HINT,
      cause: error,
    });
  }
  switch (code) {
    case undefined:
      return error;
    case GrpcCode.NOT_FOUND:
      return new OperationError(`${ns} does not exist on ${ctx.address}`, {
        hint: '`temporal-ctl namespace list` shows the namespaces that exist',
        cause: error,
      });
    case GrpcCode.ALREADY_EXISTS:
      return new OperationError(`${ns} already exists on ${ctx.address}`, {
        hint: 'pass --if-not-exists to accept an existing namespace, or change it with `temporal-ctl namespace update`',
        cause: error,
      });
    case GrpcCode.PERMISSION_DENIED:
    case GrpcCode.UNAUTHENTICATED:
      return new OperationError(`the server at ${ctx.address} refused to ${ctx.action}: ${why}`, {
        hint: 'check --api-key / TEMPORAL_API_KEY and the TLS client certificate (--tls-cert-path, --tls-key-path)',
        cause: error,
      });
    case GrpcCode.UNAVAILABLE:
      return new OperationError(`cannot reach the Temporal frontend at ${ctx.address} to ${ctx.action} (${why})`, {
        hint: STATUS_HINT,
        cause: error,
      });
    case GrpcCode.DEADLINE_EXCEEDED:
      return new OperationError(`the Temporal frontend at ${ctx.address} did not answer in time to ${ctx.action}`, {
        hint: STATUS_HINT,
        cause: error,
      });
    case GrpcCode.INVALID_ARGUMENT:
      return new UsageError(`the server rejected the request to ${ctx.action}: ${why}`, { cause: error });
    default:
      return new OperationError(`failed to ${ctx.action} on ${ctx.address}: ${why}`, { cause: error });
  }
}
