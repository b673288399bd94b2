// Makes sure every declared namespace exists and workers can use it (idempotent). `temporal-ctl
// start` calls ensureNamespaces(config) once the cluster is healthy; it never changes an existing one.
import type { Connection } from '@temporalio/client';
import { formatDuration } from '../config/duration.js';
import { namespaceNameProblem } from '../config/namespace-name.js';
import type { ClusterConfig } from '../config/schema.js';
import { ConfigError, OperationError } from '../errors.js';
import { withConnection } from '../temporal/connection.js';
import { GrpcCode, grpcCode } from '../temporal/grpc-errors.js';
import { declaredNamespaces, type DeclaredSpec } from './declared.js';
import { registerNamespace, waitUntilVisible } from './ops.js';
import { waitUntilUsable } from './namespace-usable.js';

export interface EnsureResult {
  name: string;
  action: 'created' | 'existed';
  /** The retention the namespace has on the server now. */
  retentionMs: number;
  /** Declared retention differs from the server's (never changed automatically). */
  retentionMismatch: boolean;
  declaredRetentionMs: number;
  source: string;
  /** How long it took until a worker's call (through the frontend's namespace registry) succeeded. */
  usableAfterMs: number;
}

export type EnsureEvent =
  | { kind: 'checking'; name: string }
  /** The namespace exists but a worker's call still fails (`reason`); waiting until it succeeds. */
  | { kind: 'waiting-usable'; name: string; reason: string }
  | { kind: 'created' | 'existed'; result: EnsureResult }
  | { kind: 'retention-mismatch'; result: EnsureResult; message: string };

export interface EnsureOptions {
  onEvent?: (event: EnsureEvent) => void;
  /** namespaces.yaml to read (default temporal-config/namespaces.yaml; absent file = none). */
  file?: string;
  /** How long a new registration may take to become visible, then usable by workers (each). */
  visibleTimeoutMs?: number;
  /** Stops the work (a Ctrl-C): the call in flight is cancelled and its error thrown. */
  signal?: AbortSignal;
  /** A bound on the whole (start's --timeout, what is left of it); `flag` names it in the error. */
  deadline?: { readonly ms: number; readonly flag: string };
}

export async function ensureNamespaces(config: ClusterConfig, options: EnsureOptions = {}): Promise<EnsureResult[]> {
  const specs = await declaredNamespaces(config, options.file);
  const bad = specs.flatMap((s) => {
    const problem = namespaceNameProblem(s.name);
    return problem ? [`${s.source}: ${problem}`] : [];
  });
  if (bad.length > 0) throw new ConfigError(bad, 'declared namespaces');
  const emit = options.onEvent ?? (() => undefined);
  const timeout = Math.min(options.visibleTimeoutMs ?? 30_000, options.deadline?.ms ?? Infinity);
  const bound = options.deadline && AbortSignal.timeout(options.deadline.ms);
  const signal = AbortSignal.any([options.signal, bound].filter((s) => s !== undefined));
  let current = '';
  try {
    return await withConnection(
      config,
      { action: 'ensure the declared namespaces' },
      (conn) =>
        conn.withAbortSignal(signal, async () => {
          const results: EnsureResult[] = [];
          for (const spec of specs) {
            current = spec.name;
            emit({ kind: 'checking', name: spec.name });
            results.push(await ensureOne(conn, spec, { timeoutMs: timeout, signal }, emit));
          }
          return results;
        }),
      specs.length * 2 * timeout + 30_000,
    );
  } catch (error) {
    if (!bound?.aborted || options.signal?.aborted) throw error;
    throw new OperationError(
      `${options.deadline!.flag} ran out while ensuring namespace "${current}" (the server had not made it usable yet)`,
      {
        cause: error,
        hint: `the services are healthy; \`temporal-ctl status\` shows whether the namespace is usable now, \`temporal-ctl start\` ensures the namespaces again (or a longer --timeout)`,
      },
    );
  }
}

async function ensureOne(
  conn: Connection,
  spec: DeclaredSpec,
  bound: { readonly timeoutMs: number; readonly signal: AbortSignal },
  emit: (event: EnsureEvent) => void,
): Promise<EnsureResult> {
  const { timeoutMs, signal } = bound;
  signal.throwIfAborted(); // the client cancels a call in flight, not one begun after the abort
  // Register first, never describe first: the frontend resolves a described name in its namespace
  // registry too, and a name not found there stays "not found" for workers for up to a second after
  // it is created (./namespace-usable.ts). RegisterNamespace is the one call the server keeps out of that cache.
  let action: EnsureResult['action'] = 'created';
  try {
    await registerNamespace(conn, spec);
  } catch (error) {
    // It existed, or another starter won the race: the same outcome.
    if (grpcCode(error) !== GrpcCode.ALREADY_EXISTS) throw error;
    action = 'existed';
  }
  const found = await waitUntilVisible(conn, spec.name, timeoutMs, undefined, signal);
  // An existing one too: another process may have created it a moment ago.
  const usableAfterMs = await waitUntilUsable(conn, spec.name, {
    timeoutMs,
    signal,
    onWaiting: (reason) => emit({ kind: 'waiting-usable', name: spec.name, reason }),
  });
  const retentionMs = found.retentionSeconds * 1000;
  const result: EnsureResult = {
    name: spec.name,
    action,
    retentionMs,
    declaredRetentionMs: spec.retentionMs,
    retentionMismatch: retentionMs !== spec.retentionMs,
    source: spec.source,
    usableAfterMs,
  };
  emit({ kind: action, result });
  if (result.retentionMismatch) {
    const message =
      `namespace "${spec.name}" has retention ${formatDuration(retentionMs)} on the server but ${spec.source} declares ${formatDuration(spec.retentionMs)}; ` +
      `run \`temporal-ctl namespace update ${spec.name} --retention ${formatDuration(spec.retentionMs)}\` to apply it`;
    emit({ kind: 'retention-mismatch', result, message });
  }
  return result;
}
