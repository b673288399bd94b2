// The Temporal Web UI, pointed at the server over the stack's network.
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { containerName } from '../../src/config/derive.js';
import { uiCookiesInsecure } from '../../src/config/profile.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { containerPort } from '../../src/model/derive.js';
import { RESTART_POLICY, envList, inNetwork, labelBlocks, portsFor, resourceId, shellHealthcheck } from './common.js';

export interface WebUiProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  /** The server container; the UI starts once it is healthy. */
  server: Container;
}

export class WebUi extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: WebUiProps) {
    super(scope, id);
    const c = props.config;
    const env = {
      TEMPORAL_ADDRESS: inNetwork(c, 'server', 'grpc'),
      TEMPORAL_CORS_ORIGINS: c.TEMPORAL_CORS_ORIGINS.join(','),
      // Inside the image TEMPORAL_UI_PORT is the port the UI listens on (our key of the same name
      // is the host port); pin it to the container port the stack publishes.
      TEMPORAL_UI_PORT: containerPort('ui', 'http'),
      ...(uiCookiesInsecure(c) ? { TEMPORAL_CSRF_COOKIE_INSECURE: 'true' } : {}),
    };
    const health = `wget -q -O /dev/null http://127.0.0.1:${containerPort('ui', 'http')}/healthz`;
    this.container = new Container(this, 'container', {
      name: containerName(c, 'ui'),
      image: props.imageId,
      env: envList(env),
      ports: portsFor(c, 'ui'),
      networksAdvanced: [{ name: props.network.name }],
      healthcheck: shellHealthcheck(health, '10s', 6),
      memory: c.TEMPORAL_UI_MEMORY.mib,
      restart: RESTART_POLICY,
      labels: labelBlocks(c, 'ui'),
      dependsOn: [props.server],
      wait: true,
      waitTimeout: 60,
    });
    this.container.overrideLogicalId(resourceId('ui'));
  }
}
