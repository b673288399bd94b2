// The stable shape temporal-ctl shows for a namespace (text and --json), built from
// the server's DescribeNamespaceResponse. Enum values arrive as numbers from protobufjs.
import type { Connection } from '@temporalio/client';
import { formatDuration } from '../config/duration.js';

/** The decoded response; list pages carry plain property objects of the same shape. */
export type DescribeResponse = Awaited<
  ReturnType<Connection['workflowService']['listNamespaces']>
>['namespaces'][number];

export interface NamespaceView {
  name: string;
  id: string;
  state: 'registered' | 'deprecated' | 'deleted' | 'unspecified';
  retention: string;
  retentionSeconds: number;
  description: string;
  ownerEmail: string;
  data: Record<string, string>;
  historyArchivalState: ArchivalState;
  visibilityArchivalState: ArchivalState;
  isGlobal: boolean;
  activeCluster: string;
}

type ArchivalState = 'disabled' | 'enabled' | 'unspecified';
const NAMESPACE_STATES = ['unspecified', 'registered', 'deprecated', 'deleted'] as const;
const ARCHIVAL_STATES = ['unspecified', 'disabled', 'enabled'] as const;

/** protobufjs gives enum numbers; JSON-ish paths give 'PREFIX_NAME' strings. Accept both. */
function enumName<T extends string>(value: unknown, names: readonly T[], prefix: string): T {
  if (typeof value === 'number') return names[value] ?? names[0]!;
  const text = String(value ?? '')
    .replace(prefix, '')
    .toLowerCase();
  return (names as readonly string[]).includes(text) ? (text as T) : names[0]!;
}

/** int64 fields come as Long, string or number. */
export function int64(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(String(value));
}

export function toView(r: DescribeResponse): NamespaceView {
  const info = r.namespaceInfo ?? {};
  const config = r.config ?? {};
  const retentionSeconds = int64(config.workflowExecutionRetentionTtl?.seconds);
  return {
    name: info.name ?? '',
    id: info.id ?? '',
    state: enumName(info.state, NAMESPACE_STATES, 'NAMESPACE_STATE_'),
    retention: formatDuration(retentionSeconds * 1000),
    retentionSeconds,
    description: info.description ?? '',
    ownerEmail: info.ownerEmail ?? '',
    data: { ...(info.data ?? {}) },
    historyArchivalState: enumName(config.historyArchivalState, ARCHIVAL_STATES, 'ARCHIVAL_STATE_'),
    visibilityArchivalState: enumName(config.visibilityArchivalState, ARCHIVAL_STATES, 'ARCHIVAL_STATE_'),
    isGlobal: Boolean(r.isGlobalNamespace),
    activeCluster: r.replicationConfig?.activeClusterName ?? '',
  };
}

type RegisterRequest = Parameters<Connection['workflowService']['registerNamespace']>[0];
type DurationProto = NonNullable<RegisterRequest['workflowExecutionRetentionPeriod']>;

/** A retention in ms as the proto Duration (protobufjs encodes a plain number into int64 seconds). */
export const retentionDuration = (ms: number): DurationProto =>
  ({ seconds: Math.round(ms / 1000) }) as unknown as DurationProto;
