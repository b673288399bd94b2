// The construct of each service in the model, and the one place that maps the config to each
// construct's own props. Typed over every ServiceName: a service added to src/model/services.ts
// without a construct here does not compile.
import type { Construct } from 'constructs';
import type { Container } from '@cdktf/provider-docker/lib/container/index.js';
import { diskWatermarks, elasticsearchSecurity, uiCookiesInsecure } from '../src/config/profile.js';
import type { ClusterConfig } from '../src/config/schema.js';
import { containerName } from '../src/config/derive.js';
import { containerPort } from '../src/model/derive.js';
import type { ServiceName } from '../src/model/services.js';
import { schemaJobEnv, serverEnv, stackPlacement } from '../src/model/temporal-env.js';
import { CLIENT_TLS_CONTAINER_FILES, sdkTlsEnv, uiTlsEnv } from '../src/tls/client-env.js';
import { tlsOn } from '../src/tls/config.js';
import { clientTlsUploads, serverTlsUploads } from './tls-files.js';
import { AdminTools } from './constructs/admin-tools.js';
import { Elasticsearch } from './constructs/elasticsearch.js';
import { Postgres } from './constructs/postgres.js';
import { SchemaJob } from './constructs/schema-job.js';
import type { ServiceProps } from './constructs/service-container.js';
import { TemporalServer } from './constructs/temporal-server.js';
import { WebUi } from './constructs/web-ui.js';

/** What TemporalCluster hands every service's construct. */
export interface ServiceContext {
  readonly config: ClusterConfig;
  /** The props every service takes (image, network, names, memory, ports, volume, dependencies). */
  readonly common: ServiceProps;
  /** Files read at synth time. */
  readonly files: { readonly schemaScript: () => string; readonly dynamicConfig: () => string };
}

export type ServiceConstruct = (scope: Construct, id: string, ctx: ServiceContext) => { readonly container: Container };
export type ServiceConstructs = { readonly [K in ServiceName]: ServiceConstruct };

/** The server's gRPC frontend as other containers on the network reach it. */
const serverInNetwork = (c: ClusterConfig): string =>
  `${containerName(c, 'server')}:${containerPort('server', 'grpc')}`;

/** A client container's TLS: its variables (under its own names) and the uploaded files; none when off. */
const clientTls = (c: ClusterConfig, env: typeof uiTlsEnv) =>
  tlsOn(c) ? { environment: env(c, CLIENT_TLS_CONTAINER_FILES), files: clientTlsUploads(c) } : undefined;

export const SERVICE_CONSTRUCTS: ServiceConstructs = {
  postgresql: (scope, id, { config: c, common }) =>
    new Postgres(scope, id, { ...common, user: c.POSTGRES_USER, password: c.POSTGRES_PASSWORD }),
  elasticsearch: (scope, id, { config: c, common }) =>
    new Elasticsearch(scope, id, {
      ...common,
      heapSize: c.ELASTICSEARCH_HEAP.text,
      security: elasticsearchSecurity(c),
      diskWatermarks: diskWatermarks(c),
    }),
  schema: (scope, id, { config: c, common, files }) =>
    new SchemaJob(scope, id, {
      ...common,
      environment: schemaJobEnv(c, stackPlacement(c)),
      script: files.schemaScript(),
    }),
  server: (scope, id, { config: c, common, files }) =>
    new TemporalServer(scope, id, {
      ...common,
      environment: serverEnv(c, stackPlacement(c)),
      dynamicConfig: files.dynamicConfig(),
      tlsFiles: serverTlsUploads(c),
    }),
  ui: (scope, id, { config: c, common }) =>
    new WebUi(scope, id, {
      ...common,
      temporalAddress: serverInNetwork(c),
      corsOrigins: c.TEMPORAL_CORS_ORIGINS,
      cookiesInsecure: uiCookiesInsecure(c),
      tls: clientTls(c, uiTlsEnv),
    }),
  'admin-tools': (scope, id, { config: c, common }) =>
    new AdminTools(scope, id, { ...common, temporalAddress: serverInNetwork(c), tls: clientTls(c, sdkTlsEnv) }),
};
