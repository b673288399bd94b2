// Elasticsearch single node for advanced visibility (only with TEMPORAL_VISIBILITY=elasticsearch).
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import type { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import { containerName } from '../../src/config/derive.js';
import { diskWatermarks, elasticsearchSecurity, type DiskWatermarks } from '../../src/config/profile.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { containerPort, serviceDecl } from '../../src/model/derive.js';
import { RESTART_POLICY, envList, labelBlocks, portsFor, resourceId, shellHealthcheck } from './common.js';

/** Elasticsearch's own watermarks, written out so they are visible. */
const DEFAULT_WATERMARKS: DiskWatermarks = { low: '85%', high: '90%', floodStage: '95%' };

function watermarks(w: DiskWatermarks = DEFAULT_WATERMARKS): Record<string, string> {
  return {
    'cluster.routing.allocation.disk.threshold_enabled': 'true',
    'cluster.routing.allocation.disk.watermark.low': w.low,
    'cluster.routing.allocation.disk.watermark.high': w.high,
    'cluster.routing.allocation.disk.watermark.flood_stage': w.floodStage,
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
    const security = elasticsearchSecurity(c);
    const heap = c.ELASTICSEARCH_HEAP.text;
    const env = {
      'discovery.type': 'single-node',
      'xpack.security.enabled': String(security !== undefined),
      ...(security ? { ELASTIC_PASSWORD: security.password } : {}),
      ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
      ...watermarks(diskWatermarks(c)),
    };
    const auth = security ? ` -u ${security.user}:"$ELASTIC_PASSWORD"` : '';
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
