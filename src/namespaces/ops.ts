// Namespace operations on an open connection: WorkflowService for register/describe/
// list/update, OperatorService for delete. Callers map errors (withConnection).
import type { Connection } from '@temporalio/client';
import { OperationError } from '../errors.js';
import { GrpcCode, grpcCode } from '../temporal/grpc-errors.js';
import { retentionDuration, toView, type NamespaceView } from './namespace-view.js';

export interface NamespaceSpec {
  name: string;
  retentionMs: number;
  description?: string;
  ownerEmail?: string;
  data?: Record<string, string>;
}

/** The namespace as the server describes it, or undefined when it does not exist. */
export async function findNamespace(conn: Connection, name: string): Promise<NamespaceView | undefined> {
  try {
    return toView(await conn.workflowService.describeNamespace({ namespace: name }));
  } catch (error) {
    if (grpcCode(error) === GrpcCode.NOT_FOUND) return undefined;
    throw error;
  }
}

export async function describeNamespace(conn: Connection, name: string): Promise<NamespaceView> {
  return toView(await conn.workflowService.describeNamespace({ namespace: name }));
}

/** Registers the namespace; ALREADY_EXISTS propagates for the caller to decide. */
export async function registerNamespace(conn: Connection, spec: NamespaceSpec): Promise<void> {
  await conn.workflowService.registerNamespace({
    namespace: spec.name,
    workflowExecutionRetentionPeriod: retentionDuration(spec.retentionMs),
    description: spec.description ?? '',
    ownerEmail: spec.ownerEmail ?? '',
    data: spec.data ?? {},
  });
}

/**
 * A fresh registration can take seconds to reach the namespace cache of every
 * frontend: poll describe until it answers, up to a deadline.
 */
export async function waitUntilVisible(
  conn: Connection,
  name: string,
  timeoutMs = 30_000,
  intervalMs = 200,
  signal?: AbortSignal,
): Promise<NamespaceView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted(); // the client cancels a call in flight, not one begun after the abort
    const found = await findNamespace(conn, name);
    if (found) return found;
    if (Date.now() >= deadline) {
      throw new OperationError(
        `namespace "${name}" was registered but describe did not see it within ${Math.round(timeoutMs / 1000)}s`,
        {
          hint: `check the server log, then run \`temporal-ctl namespace describe ${name}\``,
        },
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function listNamespaces(conn: Connection): Promise<NamespaceView[]> {
  const all: NamespaceView[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await conn.workflowService.listNamespaces({ pageSize: 100, nextPageToken });
    all.push(...page.namespaces.map(toView));
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

export type NamespaceChanges = Partial<Omit<NamespaceSpec, 'name'>>;

/** Sends only the changed fields (the server leaves unset ones alone; data keys are merged). */
export async function updateNamespace(conn: Connection, name: string, changes: NamespaceChanges): Promise<void> {
  await conn.workflowService.updateNamespace({
    namespace: name,
    updateInfo: {
      description: changes.description ?? '',
      ownerEmail: changes.ownerEmail ?? '',
      data: changes.data ?? {},
    },
    config:
      changes.retentionMs === undefined
        ? undefined
        : { workflowExecutionRetentionTtl: retentionDuration(changes.retentionMs) },
  });
}

/** The server's namespace deletion: renames it, marks it deleted and removes its data in the background. */
export async function deleteNamespace(conn: Connection, name: string): Promise<string> {
  const response = await conn.operatorService.deleteNamespace({ namespace: name });
  return response.deletedNamespace ?? '';
}
