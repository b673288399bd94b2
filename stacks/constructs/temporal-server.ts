// The Temporal server (all roles in one container), configured through the environment variables of
// its built-in config template, with the dynamic config uploaded into the container.
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { containerName, DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/config/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { containerPort } from '../../src/model/derive.js';
import { grpcHealthCommand } from '../grpc-health.js';
import { RESTART_POLICY, envList, labelBlocks, portsFor, resourceId, shellHealthcheck, terraformLiteral } from './common.js';
import { databaseEnv, SQL_PLUGIN, visibilityEnv } from './temporal-env.js';

export interface TemporalServerProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  /** Content of the dynamic config file. */
  dynamicConfig: string;
  /** The schema job (and anything else) that must have finished first. */
  after: Container[];
}

export class TemporalServer extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: TemporalServerProps) {
    super(scope, id);
    const c = props.config;
    // TEMPORAL_BROADCAST_ADDRESS is deliberately unset: membership needs an IP (a container name
    // is rejected), and with BIND_ON_IP=0.0.0.0 the image's entrypoint sets it to the container's
    // own IP at every start, which stays right when Docker hands out a new address.
    const env = {
      DB: SQL_PLUGIN,
      ...databaseEnv(c),
      ...visibilityEnv(c),
      NUM_HISTORY_SHARDS: c.NUM_HISTORY_SHARDS,
      LOG_LEVEL: c.TEMPORAL_LOG_LEVEL,
      BIND_ON_IP: '0.0.0.0',
      FRONTEND_GRPC_PORT: containerPort('server', 'grpc'),
      FRONTEND_HTTP_PORT: containerPort('server', 'http'),
      DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_CONTAINER_PATH,
    };
    this.container = new Container(this, 'container', {
      name: containerName(c, 'server'),
      image: props.imageId,
      env: envList(env),
      ports: portsFor(c, 'server'),
      // Uploaded rather than bind-mounted: a bind mount needs the file on the Docker host, which
      // breaks DOCKER_HOST=ssh://. A changed file shows in the plan and recreates the server.
      upload: [{ file: DYNAMIC_CONFIG_CONTAINER_PATH, content: terraformLiteral(props.dynamicConfig) }],
      networksAdvanced: [{ name: props.network.name }],
      healthcheck: shellHealthcheck(grpcHealthCommand('127.0.0.1', containerPort('server', 'grpc')), '30s', 12),
      memory: c.TEMPORAL_MEMORY.mib,
      restart: RESTART_POLICY,
      labels: labelBlocks(c, 'server'),
      dependsOn: props.after,
      wait: true,
      waitTimeout: 180,
    });
    this.container.overrideLogicalId(resourceId('server'));
  }
}
