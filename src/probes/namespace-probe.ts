// Whether a worker can use TEMPORAL_NAMESPACE: a SERVING frontend is not enough (the namespace may
// not exist, or not yet be in the frontend's namespace registry: src/namespaces/namespace-usable.ts).
// `status` reports it and counts it; `start`'s health wait leaves it out (start ensures the
// namespaces after the wait, and then waits until each is usable).
import type { Connection } from '@temporalio/client';
import type { ClusterConfig } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import type { Usability } from '../namespaces/namespace-usable.js';
import { reason } from '../errors.js';
import type { ProbeSession } from './session.js';

export interface NamespaceStatus {
  /** TEMPORAL_NAMESPACE. */
  readonly name: string;
  /** unchecked: the server is not healthy, so nothing could be asked; error: the call failed otherwise. */
  readonly state: Usability | 'unchecked' | 'error';
  readonly usable: boolean;
  /** One sentence for the table and the JSON document. */
  readonly detail: string;
}

const DETAIL: Record<NamespaceStatus['state'], (name: string) => string> = {
  usable: () => 'usable',
  'not-found': (name) =>
    `not found: create it (\`temporal-ctl namespace create ${name}\`, or \`temporal-ctl start\` ensures TEMPORAL_NAMESPACE)`,
  'not-cached': () => "exists, not yet in the frontend's cache (a worker's calls fail for up to a second)",
  unchecked: () => 'not checked: the server is not healthy',
  error: () => 'could not be checked',
};

export const uncheckedNamespace = (c: ClusterConfig): NamespaceStatus => status(c.TEMPORAL_NAMESPACE, 'unchecked');

/** Asks the frontend, on the session's channel when there is one, within timeoutMs. */
export async function checkNamespace(
  c: ClusterConfig,
  timeoutMs: number,
  session?: ProbeSession,
): Promise<NamespaceStatus> {
  const [{ usability }, { CHANNEL, openChannel }] = await Promise.all([
    import('../namespaces/namespace-usable.js'),
    import('./temporal-probe.js'),
  ]);
  const connection = session?.get<Connection>(CHANNEL) ?? (await openChannel(c));
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const state = await connection.withAbortSignal(signal, () => usability(connection, c.TEMPORAL_NAMESPACE));
    return status(c.TEMPORAL_NAMESPACE, state);
  } catch (error) {
    const why = signal.aborted ? `no answer within ${formatDuration(timeoutMs)}` : reason(error);
    return { ...status(c.TEMPORAL_NAMESPACE, 'error'), detail: `could not be checked: ${why}` };
  } finally {
    if (!session) await connection.close();
  }
}

function status(name: string, state: NamespaceStatus['state']): NamespaceStatus {
  return { name, state, usable: state === 'usable', detail: DETAIL[state](name) };
}
