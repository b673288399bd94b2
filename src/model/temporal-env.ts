// The environment contract of the Temporal server and the schema job: the variables the server's
// built-in config template (1.30+, common/config/config_template_embedded.yaml) and
// temporal-config/schema-setup.sh read, derived from the config. The stack's constructs get them
// for the in-network placement; the test environment gets the same code's output for its host
// placement through `temporal-ctl config env`. Pure (no cdktf), so the CLI loads it cheaply.
import { containerName, DYNAMIC_CONFIG_CONTAINER_PATH } from './names-and-endpoints.js';
import { elasticsearchSecurity } from '../config/profile.js';
import type { ClusterConfig } from '../config/schema.js';
import { mtlsOn, pathsOf, SERVER_TLS_KEYS, tlsOn, tlsServerName } from './tls-settings.js';
import { containerPort } from './service-facts.js';
import { externalPostgres } from './postgres-layout.js';
import { ROLE_FACTS, type ServerRole } from './server-roles.js';

/** The SQL plugin for PostgreSQL 12+ (`postgresql` is rejected by the server). */
export const SQL_PLUGIN = 'postgres12';
/** Elasticsearch 7.x client in the server. */
export const ES_VERSION = 'v7';
/** The versioned schema files shipped in temporalio/admin-tools. */
export const SCHEMA_DIR = '/etc/temporal/schema';
/** The server's role ports as its config template names them; unset ones keep the template's defaults. */
export const ROLE_PORTS = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;
export type RolePort = (typeof ROLE_PORTS)[number];

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Where the process runs relative to the stores and what it listens on: the part that is not config. */
export interface EnvPlacement {
  /** Where PostgreSQL answers. */
  readonly postgres: Endpoint;
  /** Where Elasticsearch answers (read with TEMPORAL_VISIBILITY=elasticsearch). */
  readonly elasticsearch: Endpoint;
  /** The address the server's roles bind. */
  readonly bindOnIp: string;
  /** Where the server's Prometheus endpoint listens (PROMETHEUS_ENDPOINT), for every role. */
  readonly metrics: Endpoint;
  /** The address the server advertises to its members. @default - unset */
  readonly broadcastAddress?: string;
  /** Role ports to set. */
  readonly rolePorts: Readonly<Partial<Record<RolePort, number>>>;
  /** Where the server reads its dynamic config file. */
  readonly dynamicConfigPath: string;
  /** The schema files' root (`<dir>/postgresql/v12/...`). */
  readonly schemaDir: string;
  /** The temporal-sql-tool binary. @default - unset: schema-setup.sh runs `temporal-sql-tool` from PATH */
  readonly sqlTool?: string;
  /** Where the server reads its TLS files (read with TEMPORAL_TLS on). */
  readonly tlsFiles: TlsFiles;
  /** Where the server and the schema job read the CA of an external PostgreSQL (POSTGRES_TLS=verify-full). */
  readonly postgresCa: string;
}

/** The server's TLS files as the process sees them. */
export interface TlsFiles {
  /** Server certificate: the frontend's, and each role's towards the others. */
  readonly cert: string;
  readonly key: string;
  /** The CA that signed the server certificate (the roles verify each other with it). */
  readonly ca: string;
  /** The CA client certificates must chain to (mtls). */
  readonly clientCa: string;
}

/** Where the stack uploads the TLS files into the server container. */
export const TLS_CONTAINER_FILES: TlsFiles = {
  cert: '/etc/temporal/tls/server.pem',
  key: '/etc/temporal/tls/server-key.pem',
  ca: '/etc/temporal/tls/ca.pem',
  clientCa: '/etc/temporal/tls/client-ca.pem',
};

/** Where the stack uploads the CA of an external PostgreSQL's certificate. */
export const POSTGRES_CA_CONTAINER_FILE = '/etc/temporal/tls/postgres-ca.pem';

/** The config's own paths: a process on the host reads the files where they are. */
export const tlsFilesOnHost = (c: ClusterConfig): TlsFiles => pathsOf(SERVER_TLS_KEYS, c);

export type Env = Readonly<Record<string, string>>;

/** The stack's placement: container names and container ports on the project network. */
export function stackPlacement(c: ClusterConfig): EnvPlacement {
  // TEMPORAL_BROADCAST_ADDRESS stays unset: membership needs an IP (a container name is rejected),
  // and with BIND_ON_IP=0.0.0.0 the image's entrypoint sets it to the container's own IP at every
  // start, which stays right when Docker hands out a new address.
  return {
    postgres: externalPostgres(c)
      ? { host: c.POSTGRES_HOST, port: c.POSTGRES_HOST_PORT }
      : { host: containerName(c, 'postgresql'), port: containerPort('postgresql', 'postgres') },
    elasticsearch: { host: containerName(c, 'elasticsearch'), port: containerPort('elasticsearch', 'http') },
    bindOnIp: '0.0.0.0',
    metrics: { host: '0.0.0.0', port: containerPort('server', 'metrics') },
    rolePorts: {
      FRONTEND_GRPC_PORT: containerPort('server', 'grpc'),
      FRONTEND_HTTP_PORT: containerPort('server', 'http'),
    },
    dynamicConfigPath: DYNAMIC_CONFIG_CONTAINER_PATH,
    schemaDir: SCHEMA_DIR,
    tlsFiles: TLS_CONTAINER_FILES,
    postgresCa: POSTGRES_CA_CONTAINER_FILE,
  };
}

/** A placement with some fields replaced; role ports are merged. */
export function withOverrides(base: EnvPlacement, o: Partial<EnvPlacement>): EnvPlacement {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, rolePorts: { ...base.rolePorts, ...o.rolePorts } };
}

function databaseEnv(c: ClusterConfig, where: EnvPlacement): Env {
  return {
    POSTGRES_SEEDS: where.postgres.host,
    DB_PORT: String(where.postgres.port),
    POSTGRES_USER: c.POSTGRES_USER,
    POSTGRES_PWD: c.POSTGRES_PASSWORD,
    DBNAME: c.TEMPORAL_DB,
    VISIBILITY_DBNAME: c.TEMPORAL_VISIBILITY_DB,
  };
}

/**
 * TLS to an external PostgreSQL, in the names each reader has: the server's config template
 * (SQL_TLS_ENABLED, …: sslmode require, or verify-full with the CA and the host's name) and
 * temporal-sql-tool (SQL_TLS, …). None with POSTGRES_TLS=off or the stack's own PostgreSQL.
 */
function databaseTlsEnv(c: ClusterConfig, where: EnvPlacement, reader: 'server' | 'sql-tool'): Env {
  if (!externalPostgres(c) || c.POSTGRES_TLS === 'off') return {};
  const verify = c.POSTGRES_TLS === 'verify-full';
  if (reader === 'server')
    return {
      SQL_TLS_ENABLED: 'true',
      SQL_HOST_VERIFICATION: String(verify),
      ...(verify ? { SQL_CA: where.postgresCa, SQL_HOST_NAME: c.POSTGRES_HOST } : {}),
    };
  return {
    SQL_TLS: 'true',
    SQL_TLS_DISABLE_HOST_VERIFICATION: String(!verify),
    ...(verify ? { SQL_TLS_CA_FILE: where.postgresCa, SQL_TLS_SERVER_NAME: c.POSTGRES_HOST } : {}),
  };
}

/** ENABLE_ES selects the visibility store: true = Elasticsearch, false = SQL on VISIBILITY_DBNAME. */
function visibilityEnv(c: ClusterConfig, where: EnvPlacement): Env {
  if (c.TEMPORAL_VISIBILITY !== 'elasticsearch') return { ENABLE_ES: 'false' };
  const security = elasticsearchSecurity(c);
  return {
    ENABLE_ES: 'true',
    ES_SCHEME: 'http',
    ES_SEEDS: where.elasticsearch.host,
    ES_PORT: String(where.elasticsearch.port),
    ES_VERSION,
    ES_VIS_INDEX: c.ELASTICSEARCH_INDEX,
    ...(security ? { ES_USER: security.user, ES_PWD: security.password } : {}),
  };
}

/**
 * TLS of the built-in config template (1.32.2): the frontend's certificate (TEMPORAL_TLS_FRONTEND_*),
 * internode TLS between the roles with the same certificate (TEMPORAL_TLS_SERVER_*), the name the
 * roles verify when they dial each other by IP, and with mtls client certificates required on both.
 * The template lists TEMPORAL_TLS_CLIENT1_CA_CERT and _CLIENT2_ together: the client CA, and the
 * server's CA, which the worker role's certificate (the server certificate) chains to.
 */
export function serverTlsEnv(c: ClusterConfig, files: TlsFiles): Env {
  if (!tlsOn(c)) return {};
  const name = tlsServerName(c);
  const mtls = mtlsOn(c);
  return {
    TEMPORAL_TLS_SERVER_CERT: files.cert,
    TEMPORAL_TLS_SERVER_KEY: files.key,
    TEMPORAL_TLS_SERVER_CA_CERT: files.ca,
    TEMPORAL_TLS_INTERNODE_SERVER_NAME: name,
    TEMPORAL_TLS_FRONTEND_CERT: files.cert,
    TEMPORAL_TLS_FRONTEND_KEY: files.key,
    TEMPORAL_TLS_FRONTEND_SERVER_NAME: name,
    TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: String(mtls),
    ...(mtls ? { TEMPORAL_TLS_CLIENT1_CA_CERT: files.clientCa, TEMPORAL_TLS_CLIENT2_CA_CERT: files.ca } : {}),
  };
}

/** Every variable the server gets, in a stable order. */
export function serverEnv(c: ClusterConfig, where: EnvPlacement): Env {
  const ports = ROLE_PORTS.flatMap((p) => (where.rolePorts[p] === undefined ? [] : [[p, String(where.rolePorts[p])]]));
  return {
    DB: SQL_PLUGIN,
    ...databaseEnv(c, where),
    ...databaseTlsEnv(c, where, 'server'),
    ...visibilityEnv(c, where),
    NUM_HISTORY_SHARDS: String(c.NUM_HISTORY_SHARDS),
    LOG_LEVEL: c.TEMPORAL_LOG_LEVEL,
    BIND_ON_IP: where.bindOnIp,
    ...(where.broadcastAddress === undefined ? {} : { TEMPORAL_BROADCAST_ADDRESS: where.broadcastAddress }),
    ...Object.fromEntries(ports),
    PROMETHEUS_ENDPOINT: `${where.metrics.host}:${where.metrics.port}`,
    DYNAMIC_CONFIG_FILE_PATH: where.dynamicConfigPath,
    ...serverTlsEnv(c, where.tlsFiles),
  };
}

/**
 * A role's container (TEMPORAL_TOPOLOGY=roles): the server's variables, only that role started
 * (the server's TEMPORAL_SERVICES), and the role's ports set explicitly. Every instance binds
 * 0.0.0.0, so the image's entrypoint broadcasts the container's own address to the ring.
 */
export function roleEnv(c: ClusterConfig, role: ServerRole, where: EnvPlacement): Env {
  const facts = ROLE_FACTS[role];
  return {
    ...serverEnv(c, where),
    TEMPORAL_SERVICES: role,
    SQL_MAX_CONNS: String(facts.sqlPool.persistence),
    SQL_MAX_IDLE_CONNS: String(facts.sqlPool.persistence),
    SQL_VIS_MAX_CONNS: String(facts.sqlPool.visibility),
    SQL_VIS_MAX_IDLE_CONNS: String(facts.sqlPool.visibility),
    [facts.portVariables.grpc]: String(facts.grpcPort),
    [facts.portVariables.membership]: String(facts.membershipPort),
  };
}

/** Every variable temporal-config/schema-setup.sh reads, in a stable order. */
export function schemaJobEnv(c: ClusterConfig, where: EnvPlacement): Env {
  return {
    ...databaseEnv(c, where),
    ...databaseTlsEnv(c, where, 'sql-tool'),
    SQL_PLUGIN,
    SCHEMA_DIR: where.schemaDir,
    ...(where.sqlTool === undefined ? {} : { SQL_TOOL: where.sqlTool }),
    SQL_VISIBILITY: String(c.TEMPORAL_VISIBILITY === 'postgres'),
    ...visibilityEnv(c, where),
  };
}

/** The processes that follow the contract, and their environment. */
export const ENV_CONTRACTS = { server: serverEnv, schema: schemaJobEnv } as const;
export type EnvContract = keyof typeof ENV_CONTRACTS;

/** `KEY='value'` lines that sh and bash read back as the same strings (eval, or an array). */
export function shellAssignments(env: Env): string[] {
  return Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`);
}

/** "HOST:PORT" (the last colon splits, so an IPv6 host in brackets works). */
export function parseEndpoint(text: string): Endpoint {
  const i = text.lastIndexOf(':');
  const host = text.slice(0, i);
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !/^\d+$/.test(text.slice(i + 1)) || port < 1 || port > 65535)
    throw new Error(`"${text}" is not HOST:PORT`);
  return { host, port };
}

/** "NAME=PORT" with NAME one of ROLE_PORTS. */
export function parseRolePort(text: string): [RolePort, number] {
  const [name = '', value = ''] = text.split('=');
  if (!(ROLE_PORTS as readonly string[]).includes(name))
    throw new Error(`"${name}" is not a role port; use one of ${ROLE_PORTS.join(', ')}`);
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`"${text}" has no port; write ${name}=PORT`);
  return [name as RolePort, port];
}
