// The roles of the Temporal server as TEMPORAL_TOPOLOGY=roles runs them, one service each: the ports
// of the server's config template, the gRPC health service each answers for, and the config keys of
// its replicas and memory. The service model (./services.ts) declares one service per row; the stack,
// the membership check and the status rows read the rest from here. Pure.
import type { ClusterConfig } from '../config/schema.js';
import { WORKFLOW_SERVICE } from './temporal-api.js';
import type { RolePort } from './temporal-env.js';

export const SERVER_ROLES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

type KeysOf<T> = { [K in keyof ClusterConfig]: ClusterConfig[K] extends T ? K : never }[keyof ClusterConfig];

export interface RoleFacts {
  /** The role's gRPC port, as the template's <ROLE>_GRPC_PORT sets it (its default). */
  readonly grpcPort: number;
  /** The role's membership (ringpop) port, <ROLE>_MEMBERSHIP_PORT (its default). */
  readonly membershipPort: number;
  /** The template's variables of those two ports. */
  readonly portVariables: { readonly grpc: RolePort; readonly membership: RolePort };
  /**
   * What its gRPC health server answers SERVING for once the role is ready (the names are the
   * server's own, checked in service/{frontend,matching}/ of 1.30.9 to 1.32.2). Without one, its gRPC
   * port accepting connections is its check: the worker role has no health service, and history
   * answers NOT_SERVING until it has acquired at least one shard (service/history/service.go), which
   * an instance the hash ring gives none never does; whether every shard has an owner is the ring
   * check's (src/probes/ring-probe.ts), as Temporal's helm chart checks history's port only.
   */
  readonly healthService?: string;
  /**
   * Most PostgreSQL connections one instance opens: its persistence pool and its SQL visibility pool
   * (the template's SQL_MAX_CONNS and SQL_VIS_MAX_CONNS; their defaults, 20 and 10, are sized for all
   * four roles in one process). Fixed per role, so a changed count replaces no other instance.
   */
  readonly sqlPool: { readonly persistence: number; readonly visibility: number };
  readonly replicasKey: KeysOf<number> & `${string}_REPLICAS`;
  readonly memoryKey: KeysOf<{ text: string; mib: number }>;
}

export const ROLE_FACTS: { readonly [R in ServerRole]: RoleFacts } = {
  frontend: {
    grpcPort: 7233,
    membershipPort: 6933,
    portVariables: { grpc: 'FRONTEND_GRPC_PORT', membership: 'FRONTEND_MEMBERSHIP_PORT' },
    healthService: WORKFLOW_SERVICE,
    sqlPool: { persistence: 3, visibility: 2 },
    replicasKey: 'TEMPORAL_FRONTEND_REPLICAS',
    memoryKey: 'TEMPORAL_FRONTEND_MEMORY',
  },
  history: {
    grpcPort: 7234,
    membershipPort: 6934,
    portVariables: { grpc: 'HISTORY_GRPC_PORT', membership: 'HISTORY_MEMBERSHIP_PORT' },
    sqlPool: { persistence: 8, visibility: 2 },
    replicasKey: 'TEMPORAL_HISTORY_REPLICAS',
    memoryKey: 'TEMPORAL_HISTORY_MEMORY',
  },
  matching: {
    grpcPort: 7235,
    membershipPort: 6935,
    portVariables: { grpc: 'MATCHING_GRPC_PORT', membership: 'MATCHING_MEMBERSHIP_PORT' },
    healthService: 'temporal.api.workflowservice.v1.MatchingService',
    sqlPool: { persistence: 5, visibility: 1 },
    replicasKey: 'TEMPORAL_MATCHING_REPLICAS',
    memoryKey: 'TEMPORAL_MATCHING_MEMORY',
  },
  worker: {
    grpcPort: 7239,
    membershipPort: 6939,
    portVariables: { grpc: 'WORKER_GRPC_PORT', membership: 'WORKER_MEMBERSHIP_PORT' },
    sqlPool: { persistence: 2, visibility: 2 },
    replicasKey: 'TEMPORAL_WORKER_REPLICAS',
    memoryKey: 'TEMPORAL_WORKER_MEMORY',
  },
};

export const rolesTopology = (c: ClusterConfig): boolean => c.TEMPORAL_TOPOLOGY === 'roles';

/**
 * How long a stopped server stays in the list a starting one joins the membership ring through: the
 * server's healthyHostLastHeartbeatCutoff (common/membership/ringpop/monitor.go, 20 s in 1.30 to
 * 1.32). A server that starts while the only other hosts listed are stopped ones waits out its
 * 30-second join, retries, and may give up and restart: new instances are created only after it.
 */
export const MEMBERSHIP_HEARTBEAT_CUTOFF_MS = 20_000;

/** PostgreSQL's max_connections: the image's default, which the stack keeps. */
export const POSTGRES_MAX_CONNECTIONS = 100;
/**
 * Connections left to everything but the server's roles: PostgreSQL's 3 superuser slots, the CLI's
 * probes, the schema job, backup and restore, a psql session.
 */
export const CONNECTIONS_KEPT = 20;

/** The PostgreSQL connections the role instances may open together (their pools' sizes). */
export const roleConnections = (c: ClusterConfig): number =>
  SERVER_ROLES.reduce(
    (sum, r) =>
      sum + c[ROLE_FACTS[r].replicasKey] * (ROLE_FACTS[r].sqlPool.persistence + ROLE_FACTS[r].sqlPool.visibility),
    0,
  );
