// A long-running admin-tools container for CLI access, like the reference setup's temporal-cli:
// `docker exec -it <project>-admin-tools temporal operator namespace list`.
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { containerName } from '../../src/config/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { RESTART_POLICY, envList, inNetwork, labelBlocks, resourceId } from './common.js';

export interface AdminToolsProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  server: Container;
}

export class AdminTools extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: AdminToolsProps) {
    super(scope, id);
    const c = props.config;
    // The image's own command (sleep infinity, exits on a signal) keeps it running; no healthcheck:
    // it serves nothing, and the server's health is the server container's to report.
    this.container = new Container(this, 'container', {
      name: containerName(c, 'admin-tools'),
      image: props.imageId,
      env: envList({ TEMPORAL_ADDRESS: inNetwork(c, 'server', 'grpc') }),
      networksAdvanced: [{ name: props.network.name }],
      memory: c.TEMPORAL_ADMINTOOLS_MEMORY.mib,
      restart: RESTART_POLICY,
      labels: labelBlocks(c, 'admin-tools'),
      dependsOn: [props.server],
    });
    this.container.overrideLogicalId(resourceId('admin-tools'));
  }
}
