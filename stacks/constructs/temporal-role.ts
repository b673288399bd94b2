// One instance of a Temporal server role in its own container (TEMPORAL_TOPOLOGY=roles): the server
// image with only that role started, the same dynamic config and TLS files as the single server,
// reachable on the project network under the role's shared name as well as its own.
import type { Construct } from 'constructs';
import { DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/model/names-and-endpoints.js';
import { ROLE_FACTS, type ServerRole } from '../../src/model/server-roles.js';
import { grpcHealthCommand } from '../grpc-health.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

/**
 * A role is NOT_SERVING until it has joined the ring (history: until it owns its shards, which waits
 * for a member that left without a word to be declared gone): longer bounds than the single server's.
 */
const START_PERIOD = '60s';
const UNHEALTHY_AFTER_SECONDS = 240;
const DEPLOY_WAIT_SECONDS = 300;
/** A stopped role drains: history hands its shards over, matching its task queues (well under this). */
const STOP_GRACE_SECONDS = 30;

export interface TemporalRoleProps extends ServiceProps {
  readonly role: ServerRole;
  /** The role's variables (src/model/temporal-env.ts: roleEnv). */
  readonly environment: Readonly<Record<string, string>>;
  /** Content of the dynamic config file, uploaded to DYNAMIC_CONFIG_CONTAINER_PATH. */
  readonly dynamicConfig: string;
  /** TLS files to upload; with any, the check is the port accepting connections (no TLS client in the image). @default - none */
  readonly tlsFiles?: readonly { readonly path: string; readonly content: string }[];
  /** Files for reaching the stores over TLS (an external PostgreSQL's CA). @default - none */
  readonly storeTlsFiles?: readonly { readonly path: string; readonly content: string }[];
  /** The name every instance of the role answers to on the network (the balancer resolves it). */
  readonly sharedName: string;
}

export class TemporalRole extends ServiceContainer {
  constructor(scope: Construct, id: string, props: TemporalRoleProps) {
    const { role, environment, dynamicConfig, tlsFiles = [], storeTlsFiles = [], sharedName, ...common } = props;
    const facts = ROLE_FACTS[role];
    super(scope, id, {
      ...common,
      service: role,
      environment,
      networkAliases: [sharedName],
      stopGraceSeconds: STOP_GRACE_SECONDS,
      uploads: [{ path: DYNAMIC_CONFIG_CONTAINER_PATH, content: dynamicConfig }, ...tlsFiles, ...storeTlsFiles],
      healthCheck: {
        command:
          facts.healthService && tlsFiles.length === 0
            ? grpcHealthCommand('127.0.0.1', facts.grpcPort, facts.healthService)
            : `nc -z 127.0.0.1 ${facts.grpcPort}`,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
