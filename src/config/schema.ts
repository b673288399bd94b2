// The one declaration of every configuration key: name, type, default, meaning.
// temporal.env, the process environment and CLI flags all feed these keys; the
// stack, the CLI and the probes read nothing else. docs/configuration.md's table
// is generated from this file (npm run docs).
import { knownMinors } from './server-schemas.js';
import { BOUND_DOCKER_PROVIDER_VERSION } from './provider-bindings.js';
import * as t from './value-types.js';
import { MAX_SPAN_MS } from './duration.js';

export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];
export const VISIBILITY_STORES = ['elasticsearch', 'postgres'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** TLS of the frontend: off, server TLS, or mutual TLS (client certificates required). */
export const TLS_MODES = ['off', 'server', 'mtls'] as const;
/** Where `temporal-ctl certs create` writes, inside TEMPORAL_STATE_DIR; the TLS path keys default there. */
export const CERTS_SUBDIR = 'certs';
/** The files `certs create` writes, by role. */
export const CERT_FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
  clientCert: 'client.pem',
  clientKey: 'client-key.pem',
} as const;

/** A TLS path key's default: the file `certs create` writes, when `when(TEMPORAL_TLS)` holds; else empty. */
const certDefault =
  (file: keyof typeof CERT_FILES, when: (mode: string) => boolean = (m) => m !== 'off') =>
  (raw: (key: string) => string): string =>
    when(raw('TEMPORAL_TLS')) ? `${raw('TEMPORAL_STATE_DIR')}/${CERTS_SUBDIR}/${CERT_FILES[file]}` : '';
/** How the Web UI is protected: not at all, by a basic-auth proxy, or by the UI's own OIDC login. */
export const UI_AUTH_MODES = ['none', 'basic', 'oidc'] as const;
export const METRICS_STACKS = ['none', 'prometheus'] as const;
export const ON_OFF = ['on', 'off'] as const;
export const TRUE_FALSE = ['true', 'false'] as const;
/** One server container with every role, or each role its own service with replicas behind a load balancer. */
export const TOPOLOGIES = ['single', 'roles'] as const;
/** TLS to an external PostgreSQL: none, encrypted only, or encrypted with the server's certificate and name checked. */
export const POSTGRES_TLS_MODES = ['off', 'require', 'verify-full'] as const;
/** Containers on one Docker host, or swarm services placed over the nodes of a Docker Swarm. */
export const TARGETS = ['host', 'swarm'] as const;
/** Temporal rejects namespace retention below one day. */
export const MIN_RETENTION_MS = 86_400_000;

/** A default is a literal, a per-profile pair, or computed from other (already parsed) keys. */
export type DefaultValue = string | Record<Profile, string> | ((raw: (key: string) => string) => string);

export interface KeyDef<T> {
  group: string;
  description: string;
  default: DefaultValue;
  parse: t.Parser<T>;
  /** Never printed in full (config show, errors, DSNs). */
  secret?: boolean;
}

const key = <T>(
  group: string,
  description: string,
  def: DefaultValue,
  parse: t.Parser<T>,
  secret = false,
): KeyDef<T> => ({
  group,
  description,
  default: def,
  parse,
  secret,
});

const image = (name: string, versionKey: string) => (raw: (key: string) => string) => {
  const registry = raw('TEMPORAL_IMAGE_REGISTRY');
  return `${registry ? `${registry.replace(/\/$/, '')}/` : ''}${name}:${raw(versionKey)}`;
};

export const schema = {
  // --- cluster
  TEMPORAL_PROFILE: key(
    'cluster',
    'Profile: development (relaxed security, small sizes) or production (passwords required, more shards).',
    'development',
    t.oneOf(PROFILES),
  ),
  TEMPORAL_PROJECT: key(
    'cluster',
    'Prefix of every Docker name (containers, network, volumes) and the project label; change it to run two clusters on one host.',
    'temporal',
    t.pattern(
      /^[a-z][a-z0-9-]{0,30}$/,
      "a project name; use lowercase letters, digits and '-' (max 31), starting with a letter",
    ),
  ),
  TEMPORAL_VISIBILITY: key(
    'cluster',
    'Visibility store: elasticsearch (advanced visibility in Elasticsearch) or postgres (SQL visibility in PostgreSQL, no Elasticsearch container).',
    'elasticsearch',
    t.oneOf(VISIBILITY_STORES),
  ),
  NUM_HISTORY_SHARDS: key(
    'cluster',
    'History shards. FIXED for the life of the database: start refuses a change; another count means a new cluster (its own project directory) and moving the workflows to it.',
    { development: '4', production: '512' },
    t.integer(1, 16384),
  ),
  TEMPORAL_TOPOLOGY: key(
    'cluster',
    'single: one server container runs every role. roles: frontend, history, matching and worker each run as their own service with TEMPORAL_<ROLE>_REPLICAS containers, the frontends behind a gRPC load balancer that publishes TEMPORAL_GRPC_PORT and TEMPORAL_HTTP_PORT. Both use the same databases and shard count.',
    'single',
    t.oneOf(TOPOLOGIES),
  ),
  TEMPORAL_TARGET: key(
    'cluster',
    'host: containers on the one Docker host DOCKER_HOST names. swarm: the same services as swarm services on a Docker Swarm whose manager DOCKER_HOST names, placed over its nodes (docs/swarm.md); the images come from TEMPORAL_IMAGE_REGISTRY, which every node must reach.',
    'host',
    t.oneOf(TARGETS),
  ),
  TEMPORAL_SWARM_ENCRYPT: key(
    'cluster',
    "With TEMPORAL_TARGET=swarm: encrypt the cluster's overlay network between nodes (IPsec, Docker's `encrypted` option; costs CPU on every packet).",
    'false',
    t.oneOf(TRUE_FALSE),
  ),
  TEMPORAL_FRONTEND_REPLICAS: key(
    'cluster',
    'Frontend containers with TEMPORAL_TOPOLOGY=roles (clients reach them through the load balancer).',
    '2',
    t.integer(1, 16),
  ),
  TEMPORAL_HISTORY_REPLICAS: key(
    'cluster',
    'History containers with TEMPORAL_TOPOLOGY=roles; the history shards are spread over them.',
    '2',
    t.integer(1, 16),
  ),
  TEMPORAL_MATCHING_REPLICAS: key(
    'cluster',
    'Matching containers with TEMPORAL_TOPOLOGY=roles.',
    '1',
    t.integer(1, 16),
  ),
  TEMPORAL_WORKER_REPLICAS: key(
    'cluster',
    "Containers of the server's internal worker role with TEMPORAL_TOPOLOGY=roles.",
    '1',
    t.integer(1, 16),
  ),
  TEMPORAL_LOG_LEVEL: key('cluster', 'Server log level.', 'info', t.oneOf(LOG_LEVELS)),
  TEMPORAL_DYNAMIC_CONFIG: key(
    'cluster',
    'Dynamic config file in temporal-config/; its content is uploaded into the server container at deploy (works with a remote DOCKER_HOST).',
    { development: 'development-sql.yaml', production: 'production-sql.yaml' },
    t.pattern(/^[\w.-]+\.ya?ml$/, 'a YAML file name in temporal-config/'),
  ),
  TEMPORAL_STATE_DIR: key(
    'cluster',
    'Where the Terraform state and the synthesized stack live, relative to the directory of the env file (or the working directory). Keep it: it is how temporal-ctl knows what it deployed.',
    '.temporal-ctl',
    t.pattern(/^[^\0]+$/, 'a directory path'),
  ),
  TEMPORAL_CORS_ORIGINS: key(
    'cluster',
    'Comma-separated origins the Web UI accepts (CORS), each scheme://host[:port]; `*` (any origin) only in development.',
    (raw) => `http://localhost:${raw('TEMPORAL_UI_PORT')}`,
    t.originList,
  ),

  // --- versions and images
  TEMPORAL_VERSION: key(
    'images',
    `Temporal server version (temporalio/server tag). Its minor must be one whose schema versions temporal-ctl knows: ${knownMinors()}.`,
    '1.32.2',
    t.version,
  ),
  TEMPORAL_ADMINTOOLS_VERSION: key(
    'images',
    'temporalio/admin-tools tag; keep it equal to the server version.',
    (raw) => raw('TEMPORAL_VERSION'),
    t.version,
  ),
  TEMPORAL_UI_VERSION: key(
    'images',
    'temporalio/ui tag. Not every ui-server release is published as an image: check that a tag exists before moving to it.',
    '2.55.0',
    t.version,
  ),
  DOCKER_CLI_VERSION: key(
    'images',
    "Release of the official docker image's CLI variant (docker:<release>-cli) that `down --volumes` runs on every node of a swarm to remove the volumes there.",
    '27.5.1',
    t.version,
  ),
  NGINX_VERSION: key(
    'images',
    "nginx image tag of the basic-auth proxy in front of the Web UI (TEMPORAL_UI_AUTH=basic) and of the frontends' load balancer (TEMPORAL_TOPOLOGY=roles).",
    '1.30.4',
    t.version,
  ),
  POSTGRESQL_VERSION: key('images', 'postgres image tag (12 or newer).', '16', t.version),
  ELASTICSEARCH_VERSION: key(
    'images',
    'elasticsearch image tag (7.17.x; 7.16 crashes on cgroup v2 kernels).',
    '7.17.27',
    t.version,
  ),
  TEMPORAL_DOCKER_PROVIDER_VERSION: key(
    'images',
    `kreuzwerker/docker Terraform provider the stack pins exactly. Default: ${BOUND_DOCKER_PROVIDER_VERSION}, the release the stack's bindings (@cdktf/provider-docker) were generated for. 4.x is accepted (maintained; the next apply restarts a stopped container in place instead of deleting and recreating it). An exact release, no constraint. Tested: 4.6.0, built from source (docs/architecture.md#the-docker-provider-release, docs/development.md#provider-releases-tested).`,
    BOUND_DOCKER_PROVIDER_VERSION,
    t.exactRelease(BOUND_DOCKER_PROVIDER_VERSION, 4),
  ),
  TEMPORAL_IMAGE_REGISTRY: key(
    'images',
    'Registry prefix for every default image (a private mirror), e.g. registry.example.com/mirror; empty: Docker Hub, no prefix.',
    '',
    t.pattern(/^$|^[a-z0-9][a-z0-9.:/_-]*$/i, 'a registry prefix such as registry.example.com/mirror'),
  ),
  TEMPORAL_SERVER_IMAGE: key('images', 'Server image.', image('temporalio/server', 'TEMPORAL_VERSION'), t.imageRef),
  TEMPORAL_ADMINTOOLS_IMAGE: key(
    'images',
    'Admin-tools image (schema job and CLI container).',
    image('temporalio/admin-tools', 'TEMPORAL_ADMINTOOLS_VERSION'),
    t.imageRef,
  ),
  TEMPORAL_UI_IMAGE: key('images', 'Web UI image.', image('temporalio/ui', 'TEMPORAL_UI_VERSION'), t.imageRef),
  TEMPORAL_UI_PROXY_IMAGE: key(
    'images',
    "The official nginx image: the reverse proxy in front of the Web UI with TEMPORAL_UI_AUTH=basic, and the frontends' gRPC load balancer with TEMPORAL_TOPOLOGY=roles.",
    image('nginx', 'NGINX_VERSION'),
    t.imageRef,
  ),
  TEMPORAL_DOCKER_CLI_IMAGE: key(
    'images',
    "The official docker image's CLI variant: on a swarm, `down --volumes` runs it as a job on every node, with the node's engine socket, to remove the stack's volumes there.",
    (raw) => `${image('docker', 'DOCKER_CLI_VERSION')(raw)}-cli`,
    t.imageRef,
  ),
  POSTGRES_IMAGE: key('images', 'PostgreSQL image.', image('postgres', 'POSTGRESQL_VERSION'), t.imageRef),
  ELASTICSEARCH_IMAGE: key(
    'images',
    'Elasticsearch image.',
    image('elasticsearch', 'ELASTICSEARCH_VERSION'),
    t.imageRef,
  ),
  PROMETHEUS_VERSION: key(
    'images',
    'Prometheus release (TEMPORAL_METRICS=prometheus); the prom/prometheus tag is v<version>.',
    '3.7.3',
    t.version,
  ),
  GRAFANA_VERSION: key(
    'images',
    'grafana/grafana tag (TEMPORAL_METRICS=prometheus, TEMPORAL_GRAFANA=on).',
    '12.3.1',
    t.version,
  ),
  PROMETHEUS_IMAGE: key(
    'images',
    'Prometheus image.',
    (raw) =>
      image('prom/prometheus', 'PROMETHEUS_VERSION')((k) => (k === 'PROMETHEUS_VERSION' ? `v${raw(k)}` : raw(k))),
    t.imageRef,
  ),
  GRAFANA_IMAGE: key('images', 'Grafana image.', image('grafana/grafana', 'GRAFANA_VERSION'), t.imageRef),

  // --- host ports (published on TEMPORAL_PUBLISH_ADDRESS)
  TEMPORAL_GRPC_PORT: key('ports', 'Host port of the frontend gRPC API.', '7233', t.port),
  TEMPORAL_HTTP_PORT: key('ports', 'Host port of the frontend HTTP API.', '7243', t.port),
  TEMPORAL_UI_PORT: key('ports', 'Host port of the Web UI.', '8088', t.port),
  POSTGRES_PORT: key('ports', 'Host port of PostgreSQL (5433 avoids a local PostgreSQL on 5432).', '5433', t.port),
  ELASTICSEARCH_PORT: key('ports', 'Host port of Elasticsearch.', '9200', t.port),
  TEMPORAL_METRICS_PORT: key(
    'ports',
    "Host port of the server's Prometheus endpoint, /metrics (always on; status and top read it; 9090 and 3000 stay free for a Prometheus and a Grafana already on the host).",
    '7244',
    t.port,
  ),
  PROMETHEUS_PORT: key(
    'ports',
    'Host port of Prometheus (TEMPORAL_METRICS=prometheus; 9090 is left to one already on the host).',
    '9097',
    t.port,
  ),
  GRAFANA_PORT: key(
    'ports',
    'Host port of Grafana (TEMPORAL_METRICS=prometheus, TEMPORAL_GRAFANA=on; 3000 is left to a frontend).',
    '3300',
    t.port,
  ),
  TEMPORAL_PUBLISH_ADDRESS: key(
    'ports',
    'Host address the frontend and Web UI ports are published on. 127.0.0.1 keeps the cluster private; another address exposes it (development warns; production requires TEMPORAL_TLS and TEMPORAL_UI_AUTH).',
    '127.0.0.1',
    t.host,
  ),
  TEMPORAL_STORE_PUBLISH_ADDRESS: key(
    'ports',
    "Host address of the ports without a login in front: PostgreSQL, Elasticsearch, the server's metrics endpoint, Prometheus and Grafana. Production: loopback unless set (the CLI's probes on the Docker host reach them there, nobody beyond it); development: TEMPORAL_PUBLISH_ADDRESS.",
    (raw) => (raw('TEMPORAL_PROFILE') === 'production' ? '127.0.0.1' : raw('TEMPORAL_PUBLISH_ADDRESS')),
    t.host,
  ),
  TEMPORAL_ENDPOINT_HOST: key(
    'ports',
    'Host the CLI and probes reach the published ports at (the Docker host; set it when DOCKER_HOST is remote).',
    '127.0.0.1',
    t.host,
  ),

  // --- PostgreSQL
  POSTGRES_HOST: key(
    'postgres',
    "An existing PostgreSQL server to use instead of deploying one: its host name or address as the cluster's containers reach it. Empty: the stack runs its own (POSTGRES_PORT is then its host port).",
    '',
    (v) => (v === '' ? { value: '' } : t.host(v)),
  ),
  POSTGRES_HOST_PORT: key('postgres', 'Port of POSTGRES_HOST.', '5432', t.port),
  POSTGRES_TLS: key(
    'postgres',
    "TLS to POSTGRES_HOST: off; require (encrypted, the server's certificate not checked); verify-full (encrypted, the certificate checked against POSTGRES_TLS_CA_CERT_PATH and POSTGRES_HOST's name).",
    'off',
    t.oneOf(POSTGRES_TLS_MODES),
  ),
  POSTGRES_TLS_CA_CERT_PATH: key(
    'postgres',
    "CA certificate file that signed POSTGRES_HOST's certificate (POSTGRES_TLS=verify-full).",
    '',
    t.text,
  ),
  POSTGRES_USER: key(
    'postgres',
    'Database user.',
    'temporal',
    t.pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a PostgreSQL user name'),
  ),
  POSTGRES_PASSWORD: key(
    'postgres',
    'Database password (required in production).',
    { development: 'temporal', production: '' },
    t.text,
    true,
  ),
  TEMPORAL_DB: key(
    'postgres',
    'Database of the persistence store.',
    'temporal',
    t.pattern(/^[a-z_][a-z0-9_]*$/, 'a database name'),
  ),
  TEMPORAL_VISIBILITY_DB: key(
    'postgres',
    'Database of SQL visibility (used when TEMPORAL_VISIBILITY=postgres).',
    'temporal_visibility',
    t.pattern(/^[a-z_][a-z0-9_]*$/, 'a database name'),
  ),

  // --- Elasticsearch
  ELASTICSEARCH_HEAP: key(
    'elasticsearch',
    'JVM heap of Elasticsearch (-Xms/-Xmx); its memory limit is twice this.',
    { development: '512m', production: '2g' },
    t.memorySize,
  ),
  ELASTICSEARCH_PASSWORD: key(
    'elasticsearch',
    'Password of the elastic user. Security is on in production (password required there) and off in development.',
    '',
    t.text,
    true,
  ),
  ELASTICSEARCH_INDEX: key(
    'elasticsearch',
    'Visibility index name.',
    'temporal_visibility_v1',
    t.pattern(/^[a-z0-9_.-]+$/, 'an index name'),
  ),

  // --- metrics
  TEMPORAL_METRICS: key(
    'metrics',
    "Metrics stack: none (the server's endpoint only) or prometheus (a Prometheus scraping the server, and Grafana with TEMPORAL_GRAFANA=on).",
    'none',
    t.oneOf(METRICS_STACKS),
  ),
  TEMPORAL_GRAFANA: key(
    'metrics',
    "Grafana with the Prometheus datasource and temporal-ctl's server dashboard, when TEMPORAL_METRICS=prometheus; off runs Prometheus alone.",
    'on',
    t.oneOf(ON_OFF),
  ),
  GRAFANA_ADMIN_PASSWORD: key(
    'metrics',
    "Password of Grafana's admin user (TEMPORAL_GRAFANA=on; required in production). Grafana takes it at its first start and keeps it in its volume: change it later in Grafana, or with `docker exec` and `grafana cli admin reset-admin-password`.",
    { development: 'admin', production: '' },
    t.text,
    true,
  ),
  PROMETHEUS_RETENTION: key(
    'metrics',
    'How long Prometheus keeps samples (its --storage.tsdb.retention.time), e.g. 15d or 12h.',
    { development: '7d', production: '30d' },
    t.pattern(/^(\d+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 15d or 12h'),
  ),

  // --- memory limits
  TEMPORAL_MEMORY: key(
    'memory',
    'Memory limit of the server container.',
    { development: '1g', production: '4g' },
    t.memorySize,
  ),
  TEMPORAL_FRONTEND_MEMORY: key(
    'memory',
    'Memory limit of each frontend container (TEMPORAL_TOPOLOGY=roles).',
    { development: '384m', production: '1g' },
    t.memorySize,
  ),
  TEMPORAL_HISTORY_MEMORY: key(
    'memory',
    'Memory limit of each history container (TEMPORAL_TOPOLOGY=roles).',
    { development: '512m', production: '2g' },
    t.memorySize,
  ),
  TEMPORAL_MATCHING_MEMORY: key(
    'memory',
    'Memory limit of each matching container (TEMPORAL_TOPOLOGY=roles).',
    { development: '256m', production: '1g' },
    t.memorySize,
  ),
  TEMPORAL_WORKER_MEMORY: key(
    'memory',
    "Memory limit of each container of the server's worker role (TEMPORAL_TOPOLOGY=roles).",
    { development: '256m', production: '512m' },
    t.memorySize,
  ),
  TEMPORAL_FRONTEND_LB_MEMORY: key(
    'memory',
    "Memory limit of the frontends' load balancer (TEMPORAL_TOPOLOGY=roles).",
    '64m',
    t.memorySize,
  ),
  POSTGRES_MEMORY: key(
    'memory',
    'Memory limit of the PostgreSQL container.',
    { development: '512m', production: '2g' },
    t.memorySize,
  ),
  TEMPORAL_UI_MEMORY: key('memory', 'Memory limit of the Web UI container.', '256m', t.memorySize),
  TEMPORAL_UI_PROXY_MEMORY: key(
    'memory',
    'Memory limit of the basic-auth proxy (TEMPORAL_UI_AUTH=basic).',
    '64m',
    t.memorySize,
  ),
  PROMETHEUS_MEMORY: key(
    'memory',
    'Memory limit of the Prometheus container.',
    { development: '512m', production: '2g' },
    t.memorySize,
  ),
  GRAFANA_MEMORY: key('memory', 'Memory limit of the Grafana container.', '256m', t.memorySize),
  TEMPORAL_ADMINTOOLS_MEMORY: key(
    'memory',
    'Memory limit of the admin-tools and schema containers.',
    '256m',
    t.memorySize,
  ),

  // --- container logs (Docker's json-file driver, rotated)
  CONTAINER_LOG_MAX_SIZE: key(
    'container logs',
    "Size at which a container's log file is rotated (Docker's json-file max-size: k, m or g).",
    '10m',
    t.logFileSize,
  ),
  CONTAINER_LOG_MAX_FILES: key(
    'container logs',
    'Log files kept per container, the current one included (json-file max-file): at most this times CONTAINER_LOG_MAX_SIZE on disk.',
    '3',
    t.integer(1, 100),
  ),

  // --- clients (CLI, probes, namespaces)
  TEMPORAL_ADDRESS: key(
    'client',
    "Frontend gRPC address the CLI talks to (as in Temporal's CLI and SDKs).",
    (raw) => `${raw('TEMPORAL_ENDPOINT_HOST')}:${raw('TEMPORAL_GRPC_PORT')}`,
    t.pattern(/^[^\s:]+:\d+$/, 'HOST:PORT'),
  ),
  TEMPORAL_NAMESPACE: key('client', 'Default namespace; temporal-ctl start makes sure it exists.', 'default', t.text),
  TEMPORAL_NAMESPACE_RETENTION: key(
    'client',
    'Retention of namespaces created without --retention (minimum 1d); 7d as the reference setup used for development.',
    '7d',
    t.duration(MIN_RETENTION_MS, "1d (Temporal's minimum)", MAX_SPAN_MS),
  ),
  TEMPORAL_NAMESPACES: key(
    'client',
    'Namespaces start ensures, NAME:RETENTION comma-separated, e.g. media-planner:7d,billing:30d.',
    '',
    t.namespaceList(MIN_RETENTION_MS),
  ),
  // TLS keys and flags as Temporal's CLI names them (--tls-cert-path, TEMPORAL_TLS_CLIENT_CERT_PATH, …).
  // With TEMPORAL_TLS on they default to the files `certs create` writes; relative paths are read
  // from the env file's directory (from the working directory when set by a flag or the environment).
  TEMPORAL_TLS_CLIENT_CERT_PATH: key(
    'client',
    "Client certificate file for mTLS (--tls-cert-path): temporal-ctl's own calls, and what `start` prints for workers. Empty unless TEMPORAL_TLS=mtls.",
    certDefault('clientCert', (m) => m === 'mtls'),
    t.text,
  ),
  TEMPORAL_TLS_CLIENT_KEY_PATH: key(
    'client',
    'Client key file for mTLS (--tls-key-path). Empty unless TEMPORAL_TLS=mtls.',
    certDefault('clientKey', (m) => m === 'mtls'),
    t.text,
  ),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: key(
    'client',
    'CA certificate file that signed the server certificate (--tls-ca-path). Empty when TEMPORAL_TLS=off.',
    certDefault('ca'),
    t.text,
  ),
  TEMPORAL_TLS_SERVER_NAME: key(
    'client',
    "Server name to verify in TLS, i.e. SNI (--tls-server-name). Empty with TEMPORAL_TLS on: the server container's name, which the server certificate carries.",
    '',
    t.text,
  ),
  TEMPORAL_API_KEY: key('client', 'API key sent as a bearer token (implies TLS).', '', t.text, true),
  TEMPORAL_PROBE_TIMEOUT: key('client', 'Timeout of each health probe.', '3s', t.duration(100, '100ms')),
  TEMPORAL_DOCKER_TIMEOUT: key(
    'client',
    'How long each Docker engine call waits for an answer (a stop also gets its 30s grace period); a hung engine is then reported instead of waited on forever. Raise it for a slow remote engine.',
    '30s',
    t.duration(100, '100ms'),
  ),

  // --- Web UI authentication (the oidc keys are the UI image's own TEMPORAL_AUTH_* settings)
  TEMPORAL_UI_AUTH: key(
    'web ui',
    'How the Web UI is protected: none; basic (an nginx proxy asks for TEMPORAL_UI_USER and TEMPORAL_UI_PASSWORD and alone publishes TEMPORAL_UI_PORT); oidc (the UI logs users in with an OpenID Connect provider, TEMPORAL_AUTH_*).',
    'none',
    t.oneOf(UI_AUTH_MODES),
  ),
  TEMPORAL_UI_USER: key(
    'web ui',
    'User name the basic-auth proxy asks for.',
    'admin',
    t.pattern(/^[^:\s]{1,64}$/, "a user name without ':' or spaces (max 64)"),
  ),
  TEMPORAL_UI_PASSWORD: key(
    'web ui',
    'Password the basic-auth proxy asks for (required with TEMPORAL_UI_AUTH=basic). The proxy receives only its bcrypt hash.',
    '',
    t.text,
    true,
  ),
  TEMPORAL_AUTH_PROVIDER_URL: key(
    'web ui',
    'OIDC provider (issuer discovery) URL (required with TEMPORAL_UI_AUTH=oidc).',
    '',
    t.optionalUrl,
  ),
  TEMPORAL_AUTH_ISSUER_URL: key(
    'web ui',
    "OIDC issuer URL, when it differs from the provider URL; empty: the provider's.",
    '',
    t.optionalUrl,
  ),
  TEMPORAL_AUTH_CLIENT_ID: key('web ui', 'OIDC client id (required with TEMPORAL_UI_AUTH=oidc).', '', t.text),
  TEMPORAL_AUTH_CLIENT_SECRET: key(
    'web ui',
    'OIDC client secret (required with TEMPORAL_UI_AUTH=oidc).',
    '',
    t.text,
    true,
  ),
  TEMPORAL_AUTH_CALLBACK_URL: key(
    'web ui',
    "OIDC redirect URL registered with the provider: the UI's /auth/sso/callback as browsers reach it.",
    (raw) => `http://localhost:${raw('TEMPORAL_UI_PORT')}/auth/sso/callback`,
    t.optionalUrl,
  ),
  TEMPORAL_AUTH_SCOPES: key('web ui', 'OIDC scopes, comma-separated.', 'openid,profile,email', t.list),
  // --- TLS of the cluster's own frontend (src/tls/)
  TEMPORAL_TLS: key(
    'tls',
    "TLS of the frontend: off; server (the frontend and the server's roles speak TLS); mtls (also requires a client certificate the CA signed). `temporal-ctl certs create` makes the files. Temporal's CLI reads TEMPORAL_TLS as a boolean: keep this key in temporal.env rather than exporting it.",
    'off',
    t.oneOf(TLS_MODES),
  ),
  TEMPORAL_TLS_SERVER_CERT_PATH: key(
    'tls',
    'Server certificate (PEM) the frontend presents, also used between the server roles. Its names must include the server container name. Empty when TEMPORAL_TLS=off.',
    certDefault('serverCert'),
    t.text,
  ),
  TEMPORAL_TLS_SERVER_KEY_PATH: key(
    'tls',
    'Private key of the server certificate (PEM). Empty when TEMPORAL_TLS=off.',
    certDefault('serverKey'),
    t.text,
  ),
  TEMPORAL_TLS_CLIENT_CA_CERT_PATH: key(
    'tls',
    'CA (PEM) the frontend trusts for client certificates with TEMPORAL_TLS=mtls.',
    (raw) => raw('TEMPORAL_TLS_SERVER_CA_CERT_PATH'),
    t.text,
  ),
} as const;

export type ConfigKey = keyof typeof schema;
type ValueOf<D> = D extends KeyDef<infer T> ? T : never;
/** The typed cluster config, inferred from the schema. */
export type ClusterConfig = { readonly [K in ConfigKey]: ValueOf<(typeof schema)[K]> };
