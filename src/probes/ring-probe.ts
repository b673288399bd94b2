// With TEMPORAL_TOPOLOGY=roles: which role instances the server counts as members of its ring, and
// the history shards each owns, as the server itself reports them (src/temporal/membership.ts),
// matched to the stack's containers by address. A healthy container that is not in the ring is not
// serving: `status` marks its row, `start` waits for it.
import type { Connection } from '@temporalio/client';
import type { ClusterConfig } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import type { StackContainer } from '../docker/container-state.js';
import { reason } from '../errors.js';
import { enabledInstances, serviceDecl } from '../model/service-facts.js';
import { SERVER_ROLES, type ServerRole } from '../model/server-roles.js';
import type { ServiceStatus } from './collect.js';
import type { ProbeSession } from './session.js';

export interface RingMember {
  /** The member's gRPC address as the server lists it (`ip:port`). */
  readonly address: string;
  /** The stack's instance at that address; null for a member no container of the stack has (a replaced one not yet expired). */
  readonly instance: string | null;
  /** History only: the shard ids it owns. */
  readonly shards?: readonly number[];
}

export interface RoleRing {
  readonly role: ServerRole;
  /** Instances the config runs. */
  readonly expected: number;
  /** Of those, how many are in the ring. */
  readonly joined: number;
  readonly members: readonly RingMember[];
}

export interface RingStatus {
  /** read: the server answered; unchecked: no healthy frontend to ask; error: the call failed. */
  readonly state: 'read' | 'unchecked' | 'error';
  /** Every instance of every role is in its ring (and, with history, every shard has an owner). */
  readonly complete: boolean;
  readonly detail: string;
  /** NUM_HISTORY_SHARDS as the server has it (read only). */
  readonly shardCount?: number;
  readonly roles: readonly RoleRing[];
  /** The instances in their role's ring (read only). */
  readonly inRing: readonly string[];
}

export const uncheckedRing = (): RingStatus => ({
  state: 'unchecked',
  complete: false,
  detail: 'not checked: no healthy frontend to ask',
  roles: [],
  inRing: [],
});

/** Asks the frontends (through the client address) within timeoutMs, on the session's channel when there is one. */
export async function checkRing(
  c: ClusterConfig,
  containers: readonly StackContainer[],
  timeoutMs: number,
  session?: ProbeSession,
): Promise<RingStatus> {
  const [{ readMembership }, { CHANNEL, openChannel }] = await Promise.all([
    import('../temporal/membership.js'),
    import('./temporal-probe.js'),
  ]);
  const connection = session?.get<Connection>(CHANNEL) ?? (await openChannel(c));
  try {
    const membership = await readMembership(connection, new Date(Date.now() + timeoutMs), c.TEMPORAL_API_KEY);
    return ringStatus(c, containers, membership);
  } catch (error) {
    const why =
      (error as { code?: number }).code === 4 ? `no answer within ${formatDuration(timeoutMs)}` : reason(error);
    return { ...uncheckedRing(), state: 'error', detail: `the ring could not be read: ${why}` };
  } finally {
    if (!session) await connection.close();
  }
}

/** The server's rings against the instances the config runs. Pure. */
export function ringStatus(
  c: ClusterConfig,
  containers: readonly StackContainer[],
  membership: {
    rings: readonly { role: string; members: readonly string[] }[];
    shardCount: number;
    shards: Readonly<Record<string, readonly number[]>>;
  },
): RingStatus {
  const instanceAt = (address: string): string | null => {
    const ip = address.slice(0, address.lastIndexOf(':'));
    return containers.find((x) => x.addresses.includes(ip))?.instance ?? null;
  };
  const instances = enabledInstances(c);
  const roles = SERVER_ROLES.map((role): RoleRing => {
    const expected = instances.filter((i) => serviceDecl(i.service).role === role).map((i) => i.name);
    const listed = membership.rings.find((r) => r.role === role)?.members ?? [];
    const members = listed.map((address) => ({
      address,
      instance: instanceAt(address),
      ...(role === 'history' ? { shards: membership.shards[address] ?? [] } : {}),
    }));
    const joined = expected.filter((name) => members.some((m) => m.instance === name)).length;
    return { role, expected: expected.length, joined, members };
  });
  const owned = new Set(Object.values(membership.shards).flat());
  const unowned = membership.shardCount - owned.size;
  const missing = roles.filter((r) => r.joined < r.expected).map((r) => `${r.role} ${r.joined}/${r.expected}`);
  const complete = missing.length === 0 && unowned <= 0;
  const parts = [
    roles.map((r) => `${r.role} ${r.joined}/${r.expected}`).join(', '),
    unowned > 0 ? `${unowned} of ${membership.shardCount} shards without an owner` : '',
  ].filter(Boolean);
  return {
    state: 'read',
    complete,
    detail: `in ring: ${parts.join('; ')}`,
    shardCount: membership.shardCount,
    roles,
    inRing: roles.flatMap((r) => r.members.flatMap((m) => (m.instance ? [m.instance] : []))),
  };
}

/** A role instance's row is healthy only when it is also in its ring (when the ring could be read). */
export function withRing(services: ServiceStatus[], ring: RingStatus): ServiceStatus[] {
  if (ring.state !== 'read') return services;
  const members = ring.roles.flatMap((r) => r.members);
  return services.map((s) => {
    if (!serviceDecl(s.service).role || !s.container) return s;
    const member = members.find((m) => m.instance === s.instance);
    const shards = member?.shards;
    const what = !member
      ? 'not in the membership ring (starting, or cut off from the others)'
      : shards
        ? `in ring, owns ${shards.length} of ${ring.shardCount} shards${shards.length ? ` (${compactRanges(shards)})` : ''}`
        : 'in ring';
    return { ...s, healthy: s.healthy && member !== undefined, detail: [s.detail, what].filter(Boolean).join('; ') };
  });
}

/** 1,2,3,5,7,8 -> "1-3, 5, 7-8". */
export function compactRanges(ids: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    out.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
