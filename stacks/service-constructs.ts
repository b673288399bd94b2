// The construct of each service in the model, and the one place that maps the config to each
// construct's own props. Typed over every ServiceName: a service added to src/model/services.ts
// without a construct here does not compile.
import type { Construct } from 'constructs';
import type { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Service } from '@cdktf/provider-docker/lib/service/index.js';
import { diskWatermarks, elasticsearchSecurity, uiCookiesInsecure } from '../src/config/profile.js';
import type { ClusterConfig } from '../src/config/schema.js';
import { containerName } from '../src/model/names-and-endpoints.js';
import { containerPort } from '../src/model/service-facts.js';
import { uiProxyTls, type ServiceName } from '../src/model/services.js';
import { roleEnv, schemaJobEnv, serverEnv, stackPlacement, TLS_CONTAINER_FILES } from '../src/model/temporal-env.js';
import { ROLE_FACTS, rolesTopology, type ServerRole } from '../src/model/server-roles.js';
import { CLIENT_TLS_CONTAINER_FILES, sdkTlsEnv, uiTlsEnv } from '../src/tls/client-tls-env.js';
import { mtlsOn, tlsOn, tlsServerName } from '../src/model/tls-settings.js';
import { clientTlsUploads, postgresTlsUploads, serverTlsUploads } from './tls-files.js';
import { AdminTools } from './constructs/admin-tools.js';
import { Elasticsearch } from './constructs/elasticsearch.js';
import { Postgres } from './constructs/postgres.js';
import { SchemaJob } from './constructs/schema-job.js';
import type { ServiceProps } from './constructs/service-container.js';
import { TemporalServer } from './constructs/temporal-server.js';
import { TemporalRole } from './constructs/temporal-role.js';
import { type BalancerTls, FrontendBalancer } from './constructs/frontend-balancer.js';
import { UiProxy } from './constructs/ui-proxy.js';
import { Grafana } from './constructs/grafana.js';
import { Prometheus } from './constructs/prometheus.js';
import {
  GRAFANA_FILES,
  GRAFANA_HOME_DASHBOARD,
  grafanaProvisioningEnv,
  PROMETHEUS_CONFIG_PATH,
  prometheusArgs,
  prometheusConfig,
} from '../src/model/metrics-stack.js';
import { WebUi } from './constructs/web-ui.js';
import { htpasswdLine } from './ui-htpasswd.js';
import { uiOidcEnv } from '../src/config/ui-auth.js';

/** What TemporalCluster hands every service's construct. */
export interface ServiceContext {
  readonly config: ClusterConfig;
  /** The props every service takes (image, network, names, memory, ports, volume, dependencies). */
  readonly common: ServiceProps;
  /** Files read at synth time. */
  readonly files: {
    readonly schemaScript: () => string;
    readonly dynamicConfig: () => string;
    /** A file of temporal-config/ by its path there. */
    readonly configFile: (source: string) => string;
  };
  /** What the deployed stack holds that a new synth keeps (TemporalClusterProps.heldUiHtpasswd). */
  readonly held: { readonly uiHtpasswd?: string };
}

export type ServiceConstruct = (
  scope: Construct,
  id: string,
  ctx: ServiceContext,
) => { readonly resource: Container | Service };
export type ServiceConstructs = { readonly [K in ServiceName]: ServiceConstruct };

/** The gRPC frontend as other containers on the network reach it: the server, or the frontends' balancer. */
const serverInNetwork = (c: ClusterConfig): string =>
  rolesTopology(c)
    ? `${containerName(c, 'frontend-lb')}:${containerPort('frontend-lb', 'grpc')}`
    : `${containerName(c, 'server')}:${containerPort('server', 'grpc')}`;

/** A role's instance: the server's configuration with only that role, under the role's shared name. */
const roleConstruct =
  (role: ServerRole): ServiceConstruct =>
  (scope, id, { config: c, common, files }) =>
    new TemporalRole(scope, id, {
      ...common,
      role,
      environment: roleEnv(c, role, stackPlacement(c)),
      dynamicConfig: files.dynamicConfig(),
      tlsFiles: serverTlsUploads(c),
      storeTlsFiles: postgresTlsUploads(c),
      sharedName: containerName(c, role),
    });

/** A client container's TLS: its variables (under its own names) and the uploaded files; none when off. */
const clientTls = (c: ClusterConfig, env: typeof uiTlsEnv) =>
  tlsOn(c) ? { environment: env(c, CLIENT_TLS_CONTAINER_FILES), files: clientTlsUploads(c) } : undefined;

/**
 * The balancer's TLS: the server's certificate toward callers and, under mtls, toward the frontends
 * (the identity the server's roles already present to each other), and the client CA for callers.
 */
function balancerTls(c: ClusterConfig): BalancerTls {
  const mtls = mtlsOn(c);
  return {
    certPath: TLS_CONTAINER_FILES.cert,
    keyPath: TLS_CONTAINER_FILES.key,
    caPath: TLS_CONTAINER_FILES.ca,
    serverName: tlsServerName(c),
    ...(mtls ? { clientCaPath: TLS_CONTAINER_FILES.clientCa } : {}),
    files: serverTlsUploads(c),
  };
}

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
      storeTlsFiles: postgresTlsUploads(c),
    }),
  server: (scope, id, { config: c, common, files }) =>
    new TemporalServer(scope, id, {
      ...common,
      environment: serverEnv(c, stackPlacement(c)),
      dynamicConfig: files.dynamicConfig(),
      tlsFiles: serverTlsUploads(c),
      storeTlsFiles: postgresTlsUploads(c),
    }),
  history: roleConstruct('history'),
  matching: roleConstruct('matching'),
  frontend: roleConstruct('frontend'),
  'frontend-lb': (scope, id, { config: c, common }) =>
    new FrontendBalancer(scope, id, {
      ...common,
      frontends: containerName(c, 'frontend'),
      frontendPorts: { grpc: ROLE_FACTS.frontend.grpcPort, http: containerPort('server', 'http') },
      ...(tlsOn(c) ? { tls: balancerTls(c) } : {}),
    }),
  worker: roleConstruct('worker'),
  ui: (scope, id, { config: c, common }) =>
    new WebUi(scope, id, {
      ...common,
      temporalAddress: serverInNetwork(c),
      corsOrigins: c.TEMPORAL_CORS_ORIGINS,
      cookiesInsecure: uiCookiesInsecure(c),
      extraEnvironment: uiOidcEnv(c),
      tls: clientTls(c, uiTlsEnv),
    }),
  'ui-proxy': (scope, id, { config: c, common, held }) =>
    new UiProxy(scope, id, {
      ...common,
      upstream: `${containerName(c, 'ui')}:${containerPort('ui', 'http')}`,
      htpasswd: htpasswdLine(c.TEMPORAL_UI_USER, c.TEMPORAL_UI_PASSWORD, held.uiHtpasswd),
      // With TLS on, the proxy presents the server's certificate (its names cover the host's addresses).
      ...(uiProxyTls(c)
        ? {
            tls: {
              certPath: TLS_CONTAINER_FILES.cert,
              keyPath: TLS_CONTAINER_FILES.key,
              files: serverTlsUploads(c).filter(
                (u) => u.path === TLS_CONTAINER_FILES.cert || u.path === TLS_CONTAINER_FILES.key,
              ),
            },
          }
        : {}),
    }),
  'admin-tools': (scope, id, { config: c, common }) =>
    new AdminTools(scope, id, { ...common, temporalAddress: serverInNetwork(c), tls: clientTls(c, sdkTlsEnv) }),
  prometheus: (scope, id, { config: c, common }) =>
    new Prometheus(scope, id, {
      ...common,
      config: prometheusConfig(c),
      configPath: PROMETHEUS_CONFIG_PATH,
      args: prometheusArgs(c),
    }),
  grafana: (scope, id, { config: c, common, files }) =>
    new Grafana(scope, id, {
      ...common,
      files: GRAFANA_FILES.map((f) => ({ path: f.target, content: files.configFile(f.source) })),
      provisioningEnv: grafanaProvisioningEnv(c),
      homeDashboard: GRAFANA_HOME_DASHBOARD,
      adminPassword: c.GRAFANA_ADMIN_PASSWORD,
    }),
};
