// What the profile decides beyond key defaults: Elasticsearch security and disk watermarks, the Web
// UI's cookies; and the target's predicate, which the service facts and the placement both read. Derived here once; the stack maps them to construct props, which take no profile
// decisions of their own.
import type { ClusterConfig } from './schema.js';

/** The built-in superuser whose password the elasticsearch image sets from ELASTIC_PASSWORD. */
export const ELASTICSEARCH_SUPERUSER = 'elastic';
/** The elasticsearch image's variable holding that superuser's password (its bootstrap password). */
export const ELASTIC_PASSWORD_VAR = 'ELASTIC_PASSWORD';

export interface ElasticsearchSecurity {
  /** The user the server and the schema job authenticate as. */
  readonly user: string;
  readonly password: string;
}

/** X-Pack security: off in development, on in production with ELASTICSEARCH_PASSWORD. */
export function elasticsearchSecurity(c: ClusterConfig): ElasticsearchSecurity | undefined {
  return c.TEMPORAL_PROFILE === 'production'
    ? { user: ELASTICSEARCH_SUPERUSER, password: c.ELASTICSEARCH_PASSWORD }
    : undefined;
}

/** Elasticsearch's disk watermarks, as its cluster.routing.allocation.disk.watermark.* settings take them. */
export interface DiskWatermarks {
  readonly low: string;
  readonly high: string;
  readonly floodStage: string;
}

/**
 * Development: free space, not percentages, so a laptop with a big, 90%-full disk still has room
 * while a nearly full disk still stops writes before Elasticsearch corrupts. Production: undefined,
 * Elasticsearch's own percentages.
 */
export function diskWatermarks(c: ClusterConfig): DiskWatermarks | undefined {
  return c.TEMPORAL_PROFILE === 'development' ? { low: '2gb', high: '1gb', floodStage: '512mb' } : undefined;
}

/** Development serves the Web UI over plain HTTP, where a Secure CSRF cookie would not be sent back. */
export const uiCookiesInsecure = (c: ClusterConfig): boolean => c.TEMPORAL_PROFILE === 'development';

/** TEMPORAL_TARGET=swarm: swarm services placed over the nodes of a Docker Swarm, not containers on one host. */
export const swarmTarget = (c: Pick<ClusterConfig, 'TEMPORAL_TARGET'>): boolean => c.TEMPORAL_TARGET === 'swarm';
