// Elasticsearch single node for advanced visibility (only with TEMPORAL_VISIBILITY=elasticsearch).
import type { Construct } from 'constructs';
import { ELASTIC_PASSWORD_VAR, type DiskWatermarks, type ElasticsearchSecurity } from '../../src/config/profile.js';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'elasticsearch';
/**
 * The JVM's start and the single-node cluster's bootstrap: the slowest of the services to answer.
 * Written as the engine reads it back (Go's duration format): `60s` would come back as `1m0s`, a
 * change in every plan after the apply.
 */
const START_PERIOD = '1m0s';
/** Failing this long marks it unhealthy (as 12 checks at the former 10 s interval did). */
const UNHEALTHY_AFTER_SECONDS = 120;
/** The deploy's bound: the start period plus the time to unhealthy (60 s + 120 s). */
const DEPLOY_WAIT_SECONDS = 180;
/** Elasticsearch's own watermarks, written out so they are visible. */
const DEFAULT_WATERMARKS: DiskWatermarks = { low: '85%', high: '90%', floodStage: '95%' };

export interface ElasticsearchProps extends ServiceProps {
  /** JVM heap as -Xms/-Xmx take it, e.g. `512m`. */
  readonly heapSize: string;
  /** X-Pack security with the built-in superuser's password. @default - security off */
  readonly security?: ElasticsearchSecurity;
  /** Disk watermarks. @default - Elasticsearch's own: 85%, 90%, 95% */
  readonly diskWatermarks?: DiskWatermarks;
}

export class Elasticsearch extends ServiceContainer {
  constructor(scope: Construct, id: string, props: ElasticsearchProps) {
    const { heapSize, security, diskWatermarks = DEFAULT_WATERMARKS, ...common } = props;
    const auth = security ? ` -u ${security.user}:"$${ELASTIC_PASSWORD_VAR}"` : '';
    // 408 (not yellow within 1s) fails curl -f; green and yellow pass.
    const health = `curl -fsS${auth} 'http://127.0.0.1:${containerPort(SERVICE, 'http')}/_cluster/health?wait_for_status=yellow&timeout=1s' >/dev/null`;
    super(scope, id, {
      ...common,
      service: SERVICE,
      environment: {
        'discovery.type': 'single-node',
        'xpack.security.enabled': String(security !== undefined),
        ...(security ? { [ELASTIC_PASSWORD_VAR]: security.password } : {}),
        ES_JAVA_OPTS: `-Xms${heapSize} -Xmx${heapSize}`,
        'cluster.routing.allocation.disk.threshold_enabled': 'true',
        'cluster.routing.allocation.disk.watermark.low': diskWatermarks.low,
        'cluster.routing.allocation.disk.watermark.high': diskWatermarks.high,
        'cluster.routing.allocation.disk.watermark.flood_stage': diskWatermarks.floodStage,
      },
      healthCheck: {
        command: health,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
