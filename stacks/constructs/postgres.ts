// PostgreSQL: persistence and (with TEMPORAL_VISIBILITY=postgres) SQL visibility.
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import type { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import { containerName } from '../../src/config/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { containerPort, serviceDecl } from '../../src/model/derive.js';
import { RESTART_POLICY, envList, labelBlocks, portsFor, resourceId, shellHealthcheck } from './common.js';

export interface PostgresProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  volume: Volume;
}

export class Postgres extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const c = props.config;
    // TCP to 127.0.0.1, not the socket: during initdb the image runs a socket-only server, which
    // must not count as ready.
    const ready = `pg_isready -h 127.0.0.1 -p ${containerPort('postgresql', 'postgres')} -U ${c.POSTGRES_USER} -d postgres`;
    this.container = new Container(this, 'container', {
      name: containerName(c, 'postgresql'),
      image: props.imageId,
      env: envList({ POSTGRES_USER: c.POSTGRES_USER, POSTGRES_PASSWORD: c.POSTGRES_PASSWORD }),
      ports: portsFor(c, 'postgresql'),
      mounts: [{ type: 'volume', source: props.volume.name, target: serviceDecl('postgresql').volume!.target }],
      networksAdvanced: [{ name: props.network.name }],
      healthcheck: shellHealthcheck(ready, '30s'),
      memory: c.POSTGRES_MEMORY.mib,
      restart: RESTART_POLICY,
      labels: labelBlocks(c, 'postgresql'),
      wait: true,
      waitTimeout: 120,
    });
    this.container.overrideLogicalId(resourceId('postgresql'));
  }
}
