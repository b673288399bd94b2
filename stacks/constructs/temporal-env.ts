// The database and visibility settings the server and the schema job share, under the names the
// server's built-in config template (1.30+, common/config/config_template_embedded.yaml) reads.
import { containerName, DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/config/derive.js';
import { containerPort } from '../../src/model/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { elasticsearchSecurity } from '../../src/config/profile.js';

/** The SQL plugin for PostgreSQL 12+ (`postgresql` is rejected by the server). */
export const SQL_PLUGIN = 'postgres12';
/** Elasticsearch 7.x client in the server. */
export const ES_VERSION = 'v7';

export function databaseEnv(c: ClusterConfig): Record<string, string | number> {
  return {
    POSTGRES_SEEDS: containerName(c, 'postgresql'),
    DB_PORT: containerPort('postgresql', 'postgres'),
    POSTGRES_USER: c.POSTGRES_USER,
    POSTGRES_PWD: c.POSTGRES_PASSWORD,
    DBNAME: c.TEMPORAL_DB,
    VISIBILITY_DBNAME: c.TEMPORAL_VISIBILITY_DB,
  };
}

/** ENABLE_ES selects the visibility store: true = Elasticsearch, false = SQL on VISIBILITY_DBNAME. */
export function visibilityEnv(c: ClusterConfig): Record<string, string | number> {
  if (c.TEMPORAL_VISIBILITY !== 'elasticsearch') return { ENABLE_ES: 'false' };
  return {
    ENABLE_ES: 'true',
    ES_SCHEME: 'http',
    ES_SEEDS: containerName(c, 'elasticsearch'),
    ES_PORT: containerPort('elasticsearch', 'http'),
    ES_VERSION,
    ES_VIS_INDEX: c.ELASTICSEARCH_INDEX,
    ...esCredentials(c),
  };
}

function esCredentials(c: ClusterConfig): Record<string, string> {
  const security = elasticsearchSecurity(c);
  return security ? { ES_USER: security.user, ES_PWD: security.password } : {};
}

/** The versioned schema files shipped in temporalio/admin-tools. */
export const SCHEMA_DIR = '/etc/temporal/schema';

/** The schema job's variables (temporal-config/schema-setup.sh). */
export function schemaJobEnv(c: ClusterConfig): Record<string, string> {
  return strings({
    ...databaseEnv(c),
    SQL_PLUGIN,
    SCHEMA_DIR,
    SQL_VISIBILITY: String(c.TEMPORAL_VISIBILITY === 'postgres'),
    ...visibilityEnv(c),
  });
}

/** The server's variables. */
export function serverEnv(c: ClusterConfig): Record<string, string> {
  // TEMPORAL_BROADCAST_ADDRESS is deliberately unset: membership needs an IP (a container name
  // is rejected), and with BIND_ON_IP=0.0.0.0 the image's entrypoint sets it to the container's
  // own IP at every start, which stays right when Docker hands out a new address.
  return strings({
    DB: SQL_PLUGIN,
    ...databaseEnv(c),
    ...visibilityEnv(c),
    NUM_HISTORY_SHARDS: c.NUM_HISTORY_SHARDS,
    LOG_LEVEL: c.TEMPORAL_LOG_LEVEL,
    BIND_ON_IP: '0.0.0.0',
    FRONTEND_GRPC_PORT: containerPort('server', 'grpc'),
    FRONTEND_HTTP_PORT: containerPort('server', 'http'),
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_CONTAINER_PATH,
  });
}

const strings = (env: Record<string, string | number>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
