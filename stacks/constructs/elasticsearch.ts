// Elasticsearch single node for advanced visibility (only with TEMPORAL_VISIBILITY=elasticsearch).
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import type { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import { containerName } from '../../src/config/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { containerPort, serviceDecl } from '../../src/model/derive.js';
import { RESTART_POLICY, envList, labelBlocks, portsFor, resourceId, shellHealthcheck } from './common.js';

/** The built-in superuser the server and schema job authenticate as when security is on. */
export const ELASTICSEARCH_USER = 'elastic';

/** X-Pack security: off only in development; production authenticates with ELASTICSEARCH_PASSWORD. */
export const elasticsearchSecured = (c: ClusterConfig): boolean => c.TEMPORAL_PROFILE === 'production';

/**
 * Disk watermarks as free space, not percentages: a development laptop with a big, 90%-full disk
 * still has room, while a nearly full disk still stops writes before Elasticsearch corrupts.
 * Production keeps Elasticsearch's percentages, written out so they are visible.
 */
function watermarks(c: ClusterConfig): Record<string, string> {
  const [low, high, flood] = c.TEMPORAL_PROFILE === 'development' ? ['2gb', '1gb', '512mb'] : ['85%', '90%', '95%'];
  return {
    'cluster.routing.allocation.disk.threshold_enabled': 'true',
    'cluster.routing.allocation.disk.watermark.low': low,
    'cluster.routing.allocation.disk.watermark.high': high,
    'cluster.routing.allocation.disk.watermark.flood_stage': flood,
  };
}

export interface ElasticsearchProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  volume: Volume;
}

export class Elasticsearch extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: ElasticsearchProps) {
    super(scope, id);
    const c = props.config;
    const secured = elasticsearchSecured(c);
    const heap = c.ELASTICSEARCH_HEAP.text;
    const env = {
      'discovery.type': 'single-node',
      'xpack.security.enabled': String(secured),
      ...(secured ? { ELASTIC_PASSWORD: c.ELASTICSEARCH_PASSWORD } : {}),
      ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
      ...watermarks(c),
    };
    const auth = secured ? ` -u ${ELASTICSEARCH_USER}:"$ELASTIC_PASSWORD"` : '';
    // 408 (not yellow within 1s) fails curl -f; green and yellow pass.
    const health = `curl -fsS${auth} 'http://127.0.0.1:${containerPort('elasticsearch', 'http')}/_cluster/health?wait_for_status=yellow&timeout=1s' >/dev/null`;
    this.container = new Container(this, 'container', {
      name: containerName(c, 'elasticsearch'),
      image: props.imageId,
      env: envList(env),
      ports: portsFor(c, 'elasticsearch'),
      mounts: [{ type: 'volume', source: props.volume.name, target: serviceDecl('elasticsearch').volume!.target }],
      networksAdvanced: [{ name: props.network.name }],
      healthcheck: shellHealthcheck(health, '60s', 12),
      memory: serviceDecl('elasticsearch').memoryMiB(c),
      restart: RESTART_POLICY,
      labels: labelBlocks(c, 'elasticsearch'),
      wait: true,
      waitTimeout: 180,
    });
    this.container.overrideLogicalId(resourceId('elasticsearch'));
  }
}
