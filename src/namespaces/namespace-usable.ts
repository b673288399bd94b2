// "Usable" = a worker's calls succeed, not merely DescribeNamespace. DescribeNamespace reads the
// database directly; every other namespace-scoped call (start, poll, list, ...) first looks the name
// up in the frontend's namespace registry. That registry reads through to the database on a miss,
// but remembers a miss for 1 s (a constant in the server's nsregistry, not dynamic config), and it
// refreshes in full every system.namespaceCacheRefreshInterval (2 s). So a name that anyone looked
// up before it existed (a worker deployed first, a retrying client) stays "not found" for up to a
// second after it was created (temporal#3914). We wait for a registry-backed call to succeed.
import type { Connection } from '@temporalio/client';
import { formatDuration } from '../config/duration.js';
import { OperationError } from '../errors.js';
import { GrpcCode, grpcCode } from '../temporal/grpc-errors.js';

export interface UsableOptions {
  /** How long to keep trying. @default 30_000 */
  readonly timeoutMs?: number;
  /** Pause between tries. @default 100 */
  readonly intervalMs?: number;
  /** Called once, when the first try failed and the wait begins, with the server's reason. */
  readonly onWaiting?: (reason: string) => void;
  /** Stops the wait (checked before every try: the client cancels only a call in flight). */
  readonly signal?: AbortSignal;
}

/** Errors that mean "not yet": the registry's miss, or the frontend not answering for a moment. */
const NOT_YET = new Set<number>([GrpcCode.NOT_FOUND, GrpcCode.UNAVAILABLE]);

/**
 * One call that goes through the frontend's namespace registry and changes nothing: a one-row
 * page of the namespace's workflow list (the validator interceptor and the handler both resolve
 * the name there before visibility is asked).
 */
async function registryCall(conn: Connection, name: string): Promise<void> {
  await conn.workflowService.listWorkflowExecutions({ namespace: name, pageSize: 1 });
}

export type Usability = 'usable' | 'not-found' | 'not-cached';

/**
 * Whether a worker can use `name` now: usable; not-found (the server has no such namespace);
 * not-cached (it exists, DescribeNamespace reads the database, but the frontend's registry still
 * answers "not found"). Other errors (the frontend down) are thrown.
 */
export async function usability(conn: Connection, name: string): Promise<Usability> {
  try {
    await registryCall(conn, name);
    return 'usable';
  } catch (error) {
    if (grpcCode(error) !== GrpcCode.NOT_FOUND) throw error;
  }
  try {
    await conn.workflowService.describeNamespace({ namespace: name });
    return 'not-cached';
  } catch (error) {
    if (grpcCode(error) === GrpcCode.NOT_FOUND) return 'not-found';
    throw error;
  }
}

/** Resolves with the milliseconds it took once a registry-backed call for `name` succeeds. */
export async function waitUntilUsable(conn: Connection, name: string, options: UsableOptions = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  let lastReason = '';
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await registryCall(conn, name);
      return Math.round(performance.now() - started);
    } catch (error) {
      const code = grpcCode(error);
      if (code === undefined || !NOT_YET.has(code)) throw error;
      const reason = String((error as { details?: string }).details || (error as Error).message);
      if (lastReason === '') options.onWaiting?.(reason);
      lastReason = reason;
    }
    if (performance.now() - started >= timeoutMs) {
      throw new OperationError(
        `namespace "${name}" exists but workers still cannot use it after ${formatDuration(timeoutMs)} (the frontend answers: ${lastReason})`,
        {
          hint: `check the server log (\`temporal-ctl logs server\`), then run \`temporal-ctl namespace describe ${name}\``,
        },
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
