// The server's own view of its cluster: which instances of each role have joined the membership
// ring, and which history shards each history instance owns. Read from the admin API
// (temporal.server.api.adminservice.v1.AdminService, served on every frontend's gRPC port, so
// also through the balancer): DescribeCluster for the rings, DescribeHistoryHost per history member
// for its shards. Only the fields used here are declared (protobufjs skips the rest); their numbers
// are the server's protos' (proto/internal/temporal/server/api/{adminservice,cluster}/v1), the same
// in 1.30.9, 1.31.2 and 1.32.2.
import type { Client, Metadata } from '@grpc/grpc-js';
import type { Connection } from '@temporalio/client';
import type { Root, Type } from 'protobufjs';

const ADMIN_SERVICE = '/temporal.server.api.adminservice.v1.AdminService';

const MESSAGES = {
  nested: {
    DescribeClusterRequest: { fields: { clusterName: { type: 'string', id: 1 } } },
    DescribeClusterResponse: {
      fields: {
        serverVersion: { type: 'string', id: 2 },
        membershipInfo: { type: 'MembershipInfo', id: 3 },
        historyShardCount: { type: 'int32', id: 6 },
      },
    },
    MembershipInfo: {
      fields: {
        currentHost: { type: 'HostInfo', id: 1 },
        reachableMembers: { rule: 'repeated', type: 'string', id: 2 },
        rings: { rule: 'repeated', type: 'RingInfo', id: 3 },
      },
    },
    RingInfo: {
      fields: {
        role: { type: 'string', id: 1 },
        memberCount: { type: 'int32', id: 2 },
        members: { rule: 'repeated', type: 'HostInfo', id: 3 },
      },
    },
    HostInfo: { fields: { identity: { type: 'string', id: 1 } } },
    DescribeHistoryHostRequest: { fields: { hostAddress: { type: 'string', id: 1 } } },
    DescribeHistoryHostResponse: {
      fields: {
        shardsNumber: { type: 'int32', id: 1 },
        shardIds: { rule: 'repeated', type: 'int32', id: 2 },
        address: { type: 'string', id: 5 },
      },
    },
  },
};

/** One role's ring: the members' gRPC addresses (`ip:port`), as the server lists them. */
export interface Ring {
  readonly role: string;
  readonly members: readonly string[];
}

export interface Membership {
  readonly rings: readonly Ring[];
  /** NUM_HISTORY_SHARDS as the server has it. */
  readonly shardCount: number;
  /** History member address -> the shard ids it owns (sorted). */
  readonly shards: Readonly<Record<string, readonly number[]>>;
}

let root: Promise<Root> | undefined;
const messages = (): Promise<Root> => {
  root ??= import('protobufjs').then((m) => (m.default ?? m).Root.fromJSON(MESSAGES));
  return root;
};

/** The connection's gRPC client: the one the SDK dialled, with its TLS and deadlines. */
const grpcClient = (conn: Connection): Client => (conn as unknown as { client: Client }).client;

async function call<T>(
  conn: Connection,
  method: string,
  request: [string, object],
  response: string,
  deadline: Date,
  metadata: Metadata,
): Promise<T> {
  const r = await messages();
  const [requestType, value] = request;
  const req: Type = r.lookupType(requestType);
  const res: Type = r.lookupType(response);
  return new Promise<T>((resolve, reject) => {
    grpcClient(conn).makeUnaryRequest(
      `${ADMIN_SERVICE}/${method}`,
      (v: object) => Buffer.from(req.encode(req.fromObject(v)).finish()),
      (b: Buffer) => res.toObject(res.decode(b), { defaults: true }) as T,
      value,
      metadata,
      { deadline },
      (error, answer) => (error ? reject(error) : resolve(answer as T)),
    );
  });
}

/**
 * The rings and the history shards, read through `conn` before `deadline`. An API key goes along as
 * the SDK sends it (a bearer token).
 */
export async function readMembership(conn: Connection, deadline: Date, apiKey = ''): Promise<Membership> {
  const { Metadata } = await import('@grpc/grpc-js');
  const metadata = new Metadata();
  if (apiKey) metadata.set('authorization', `Bearer ${apiKey}`);
  const cluster = await call<{
    historyShardCount: number;
    membershipInfo?: { rings: { role: string; members: { identity: string }[] }[] };
  }>(conn, 'DescribeCluster', ['DescribeClusterRequest', {}], 'DescribeClusterResponse', deadline, metadata);
  const rings = (cluster.membershipInfo?.rings ?? []).map((ring) => ({
    role: ring.role,
    members: ring.members.map((m) => m.identity).sort(),
  }));
  const history = rings.find((ring) => ring.role === 'history')?.members ?? [];
  const owned = await Promise.all(
    history.map((hostAddress) =>
      call<{ shardIds: number[] }>(
        conn,
        'DescribeHistoryHost',
        ['DescribeHistoryHostRequest', { hostAddress }],
        'DescribeHistoryHostResponse',
        deadline,
        metadata,
      ),
    ),
  );
  return {
    rings,
    shardCount: cluster.historyShardCount,
    shards: Object.fromEntries(history.map((h, i) => [h, [...owned[i]!.shardIds].sort((a, b) => a - b)])),
  };
}
