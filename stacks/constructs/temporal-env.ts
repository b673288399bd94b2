// The database and visibility settings the server and the schema job share, under the names the
// server's built-in config template (1.30+, common/config/config_template_embedded.yaml) reads.
import { containerName } from '../../src/config/derive.js';
import { containerPort } from '../../src/model/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { ELASTICSEARCH_USER, elasticsearchSecured } from './elasticsearch.js';

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
    ...(elasticsearchSecured(c) ? { ES_USER: ELASTICSEARCH_USER, ES_PWD: c.ELASTICSEARCH_PASSWORD } : {}),
  };
}
