// The one declaration of every service of the cluster. The stack, the CLI, the probes and the tests
// derive every list they need from this table (src/model/service-facts.ts): enabled services, images,
// published ports and their clash check, memory, volumes, endpoints, status rows, the names users
// type. Adding a service is one entry here, its construct (stacks/service-constructs.ts, a typed registry
// that does not compile without it) and how its health is judged (the `probe` field, required; a
// protocol probe is registered in src/probes/service-probes.ts, which does not compile without it).
import type { ClusterConfig, ConfigKey } from '../config/schema.js';
import { externalPostgres, postgresMajor, postgresVolumeTarget } from './postgres-layout.js';
import { ROLE_FACTS, rolesTopology, type ServerRole } from './server-roles.js';

type KeysOf<T> = { [K in ConfigKey]: ClusterConfig[K] extends T ? K : never }[ConfigKey];
/** Config keys that hold a host port. */
export type PortKey = Extract<KeysOf<number>, `${string}_PORT`>;
/** Config keys that hold an image reference. */
export type ImageKey = Extract<KeysOf<string>, `${string}_IMAGE`>;
/** Config keys that hold a host address ports are published on. */
export type PublishAddressKey = Extract<ConfigKey, `${string}PUBLISH_ADDRESS`>;
/** Config keys that hold a memory size. */
export type MemoryKey = KeysOf<{ text: string; mib: number }>;

export interface PortDecl {
  /** How code refers to the port, e.g. `grpc`. */
  readonly name: string;
  /** The config key of the host port. */
  readonly key: PortKey;
  /** The port inside the container (the image's contract). */
  readonly container: number;
  /** What a person calls it, e.g. `gRPC frontend`. */
  readonly purpose: string;
  /** Where clients on the host reach it; `start` prints these. @default - not printed */
  readonly endpoint?: EndpointDecl;
  /** Whether the config publishes it (another service may publish its key instead). @default - always */
  readonly published?: (c: ClusterConfig) => boolean;
  /** The host address key of this port, when it differs from its service's. @default - the service's publishAddress */
  readonly publishAddress?: PublishAddressKey;
}

export interface EndpointDecl {
  /** The label `start` prints, e.g. `gRPC`. */
  readonly label: string;
  /** Position in `start`'s list (users look for the gRPC address first). */
  readonly rank: number;
  readonly url: (host: string, port: number, c: ClusterConfig) => string;
}

export interface VolumeDecl {
  /** The Docker name is `<project>-<suffix>`. */
  readonly suffix: string;
  /** Where the volume is mounted in the container (it may depend on the image's version). */
  readonly target: string | ((c: ClusterConfig) => string);
  /** Fixed Terraform id (`docker_volume.<id>`). */
  readonly resourceId: string;
}

/**
 * How a service's health is judged: 'protocol', by a probe that speaks the service's protocol
 * (src/probes/service-probes.ts names it; the model only says there is one, so it stays below the
 * probes that read it), or 'container-state', by its container's state alone.
 */
export type ProbeDecl = 'protocol' | 'container-state';

export interface ServiceDecl<Name extends string = string> {
  /** One line: what the service is. */
  readonly description: string;
  /** Other names users may type (the reference compose file's names). */
  readonly aliases: readonly string[];
  /** The config key of its image. */
  readonly image: ImageKey;
  /** Ports published on the host, on the address of `publishAddress`. */
  readonly ports: readonly PortDecl[];
  /** The config key of the host address its ports are bound to. @default TEMPORAL_PUBLISH_ADDRESS */
  readonly publishAddress?: PublishAddressKey;
  /** The config key its memory limit comes from (for messages). */
  readonly memoryKey: MemoryKey;
  /** The container's memory limit in MiB. */
  readonly memoryMiB: (c: ClusterConfig) => number;
  /** The named volume that holds its data. @default - none */
  readonly volume?: VolumeDecl;
  /** one-shot: runs to completion (exit 0 is success); long-running: must keep running. */
  readonly kind: 'long-running' | 'one-shot';
  /** Whether the config runs it. @default - always */
  readonly enabled?: (c: ClusterConfig) => boolean;
  /**
   * How many containers run it, each an instance `<service>-<n>` (n from 1) with its own container.
   * @default - one container, named as the service
   */
  readonly replicas?: (c: ClusterConfig) => number;
  /** The one Temporal server role its containers run (TEMPORAL_TOPOLOGY=roles). @default - none */
  readonly role?: ServerRole;
  /** Services that must be healthy (or, for a one-shot, finished) before it starts. */
  readonly after: readonly Name[];
  readonly probe: ProbeDecl;
  /** Fixed Terraform id of its container (`docker_container.<id>`). */
  readonly resourceId: string;
  /**
   * Linux capabilities the image's own start needs; every other one is dropped (`--cap-drop ALL`).
   * Written as the engine reads them back (`CAP_…`), or every plan would replace the container.
   */
  readonly capabilities: readonly Capability[];
  /**
   * Most processes and threads the container may have (the pids cgroup): a fork bomb or a thread
   * leak then stops at its own container. Measured use at idle is far below (docs/security.md#hardening).
   */
  readonly pidsLimit: number;
  /**
   * The image's own entrypoint and command as its official image declares them: what a swarm task
   * runs once its secrets are in its environment (src/model/swarm-secrets.ts). Required of a
   * service whose environment holds a secret. @default - none
   */
  readonly imageCommand?: readonly string[];
  /**
   * The image reads a secret variable from the file `<VAR>_FILE` names (the official postgres
   * image does): on a swarm it gets that, and its own command runs unchanged. @default false
   */
  readonly secretFileVariables?: boolean;
  /**
   * What stops while its container is replaced, for a service whose replacement interrupts the
   * cluster (a store, or the server): `start` shows it and asks before replacing. @default - none
   */
  readonly replaceImpact?: string;
}

/** The capabilities a service may keep (Docker's default set has more; none is granted beyond it). */
export type Capability = 'CAP_CHOWN' | 'CAP_DAC_OVERRIDE' | 'CAP_FOWNER' | 'CAP_SETGID' | 'CAP_SETUID';
/**
 * PostgreSQL's entrypoint starts as root: it chowns and chmods the data directory (CHOWN, FOWNER,
 * DAC_OVERRIDE to walk a directory the postgres user owns with mode 700), then drops to the postgres
 * user (SETUID, SETGID with setgroups). The server itself then runs with none of them effective.
 */
const POSTGRES_ENTRYPOINT_CAPS: readonly Capability[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_SETGID',
  'CAP_SETUID',
];

/** temporalio/server's command (it has no entrypoint): the script that derives the bind address, then the server. */
const TEMPORAL_SERVER_COMMAND = ['/etc/temporal/entrypoint.sh'];

/** nginx's master starts as root: it chowns its temp dirs to the worker user, then drops to it. */
const NGINX_MASTER_CAPS: readonly Capability[] = ['CAP_CHOWN', 'CAP_SETGID', 'CAP_SETUID'];

/** Checks each entry against ServiceDecl with `after` limited to the table's own names. */
const declare = <const T extends { readonly [K in keyof T]: ServiceDecl<Extract<keyof T, string>> }>(table: T): T =>
  table;

const elasticsearchVisibility = (c: ClusterConfig): boolean => c.TEMPORAL_VISIBILITY === 'elasticsearch';
/** With basic auth the proxy alone publishes the UI's host port; the UI is reached only through it. */
const uiBehindProxy = (c: ClusterConfig): boolean => c.TEMPORAL_UI_AUTH === 'basic';
/** The proxy serves TLS when the cluster does (TEMPORAL_TLS on), with the server's certificate. */
export const uiProxyTls = (c: ClusterConfig): boolean => uiBehindProxy(c) && c.TEMPORAL_TLS !== 'off';
const webUiEndpoint: EndpointDecl = {
  label: 'Web UI',
  rank: 3,
  url: (host, port, c) => `${uiProxyTls(c) ? 'https' : 'http'}://${host}:${port}`,
};
const prometheusOn = (c: ClusterConfig): boolean => c.TEMPORAL_METRICS === 'prometheus';
/** Where the server's Prometheus endpoint serves (the server's fixed path). */
export const SERVER_METRICS_PATH = '/metrics';

/** The gRPC and HTTP API endpoints clients use: the server's, or the load balancer's in front of the frontends. */
const grpcEndpoint: EndpointDecl = { label: 'gRPC', rank: 1, url: (_h, _p, c) => c.TEMPORAL_ADDRESS };
// The frontend serves its HTTP API with the same TLS as gRPC (and so does the balancer).
const httpEndpoint: EndpointDecl = {
  label: 'HTTP API',
  rank: 2,
  url: (host, port, c) => `${c.TEMPORAL_TLS === 'off' ? 'http' : 'https'}://${host}:${port}`,
};

/** A Temporal server role as its own service (TEMPORAL_TOPOLOGY=roles): the server image, that role only. */
const roleService = <const After extends string>(
  role: ServerRole,
  description: string,
  after: readonly After[],
  replaceImpact: string,
) =>
  ({
    description,
    aliases: [`temporal-${role}`],
    image: 'TEMPORAL_SERVER_IMAGE',
    // Reached on the project network only: clients come through frontend-lb, Prometheus scrapes each.
    ports: [],
    memoryKey: ROLE_FACTS[role].memoryKey,
    memoryMiB: (c: ClusterConfig) => c[ROLE_FACTS[role].memoryKey].mib,
    kind: 'long-running',
    enabled: rolesTopology,
    replicas: (c: ClusterConfig) => c[ROLE_FACTS[role].replicasKey],
    role,
    after,
    probe: 'container-state',
    capabilities: [],
    // Go's threads of one role, plus blocking syscalls.
    pidsLimit: 1024,
    resourceId: role,
    imageCommand: TEMPORAL_SERVER_COMMAND,
    replaceImpact,
  }) as const;

/** Every service, in start order. */
export const SERVICE_MODEL = declare({
  postgresql: {
    description: 'PostgreSQL: persistence, and SQL visibility with TEMPORAL_VISIBILITY=postgres',
    aliases: ['postgres', 'temporal-postgresql'],
    image: 'POSTGRES_IMAGE',
    ports: [
      {
        name: 'postgres',
        key: 'POSTGRES_PORT',
        container: 5432,
        purpose: 'PostgreSQL',
        endpoint: {
          label: 'PostgreSQL',
          rank: 4,
          url: (host, port, c) => `postgresql://${c.POSTGRES_USER}@${host}:${port}/${c.TEMPORAL_DB}`,
        },
      },
    ],
    // A store: published for the CLI's probes, not beside the frontend (production keeps it on loopback).
    publishAddress: 'TEMPORAL_STORE_PUBLISH_ADDRESS',
    memoryKey: 'POSTGRES_MEMORY',
    memoryMiB: (c) => c.POSTGRES_MEMORY.mib,
    volume: {
      suffix: 'postgres-data',
      target: (c) => postgresVolumeTarget(postgresMajor(c)),
      resourceId: 'postgres_data',
    },
    kind: 'long-running',
    enabled: (c) => !externalPostgres(c),
    after: [],
    probe: 'protocol',
    capabilities: POSTGRES_ENTRYPOINT_CAPS,
    // One process per connection (max_connections 100) plus its background workers.
    pidsLimit: 512,
    resourceId: 'postgresql',
    imageCommand: ['docker-entrypoint.sh', 'postgres'],
    secretFileVariables: true,
    replaceImpact: 'the server has no database, so every workflow call and worker poll fails',
  },
  elasticsearch: {
    description: 'Elasticsearch: advanced visibility (TEMPORAL_VISIBILITY=elasticsearch)',
    aliases: ['es', 'temporal-elasticsearch'],
    image: 'ELASTICSEARCH_IMAGE',
    ports: [
      {
        name: 'http',
        key: 'ELASTICSEARCH_PORT',
        container: 9200,
        purpose: 'Elasticsearch',
        endpoint: { label: 'Elasticsearch', rank: 5, url: (host, port) => `http://${host}:${port}` },
      },
    ],
    publishAddress: 'TEMPORAL_STORE_PUBLISH_ADDRESS',
    memoryKey: 'ELASTICSEARCH_HEAP',
    // The JVM heap plus as much again for off-heap memory and the page cache.
    memoryMiB: (c) => c.ELASTICSEARCH_HEAP.mib * 2,
    volume: { suffix: 'elasticsearch-data', target: '/usr/share/elasticsearch/data', resourceId: 'elasticsearch_data' },
    kind: 'long-running',
    enabled: elasticsearchVisibility,
    after: [],
    probe: 'protocol',
    // The image runs as uid 1000 (elasticsearch:root) and needs no capability.
    capabilities: [],
    // The JVM's thread pools grow with the host's cores; Elastic asks for at least 4096 threads.
    pidsLimit: 4096,
    resourceId: 'elasticsearch',
    imageCommand: ['/bin/tini', '--', '/usr/local/bin/docker-entrypoint.sh', 'eswrapper'],
    replaceImpact:
      "workflow lists, counts and searches (the Web UI's lists too) fail; visibility catches up afterwards",
  },
  schema: {
    description: 'one-shot schema job: creates and updates the databases (and the index)',
    aliases: ['schema-setup'],
    image: 'TEMPORAL_ADMINTOOLS_IMAGE',
    ports: [],
    memoryKey: 'TEMPORAL_ADMINTOOLS_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_ADMINTOOLS_MEMORY.mib,
    kind: 'one-shot',
    after: ['postgresql', 'elasticsearch'],
    probe: 'container-state',
    // The Temporal images run as uid 1000 (temporal) and need no capability.
    capabilities: [],
    pidsLimit: 256,
    resourceId: 'schema',
  },
  server: {
    description: 'Temporal server, every role in one container',
    aliases: ['temporal'],
    image: 'TEMPORAL_SERVER_IMAGE',
    ports: [
      {
        name: 'grpc',
        key: 'TEMPORAL_GRPC_PORT',
        container: 7233,
        purpose: 'gRPC frontend',
        endpoint: grpcEndpoint,
      },
      {
        name: 'http',
        key: 'TEMPORAL_HTTP_PORT',
        container: 7243,
        purpose: 'HTTP frontend',
        endpoint: httpEndpoint,
      },
      {
        // PROMETHEUS_ENDPOINT of the server's config template: one endpoint for every role in the process.
        name: 'metrics',
        key: 'TEMPORAL_METRICS_PORT',
        container: 8000,
        purpose: 'server metrics (Prometheus)',
        endpoint: { label: 'Metrics', rank: 6, url: (host, port) => `http://${host}:${port}${SERVER_METRICS_PATH}` },
        // Unauthenticated, like the stores: loopback in production unless asked.
        publishAddress: 'TEMPORAL_STORE_PUBLISH_ADDRESS',
      },
    ],
    memoryKey: 'TEMPORAL_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_MEMORY.mib,
    kind: 'long-running',
    enabled: (c) => !rolesTopology(c),
    after: ['schema'],
    probe: 'protocol',
    capabilities: [],
    // Go's threads: every role in one process, plus blocking syscalls.
    pidsLimit: 1024,
    resourceId: 'server',
    imageCommand: TEMPORAL_SERVER_COMMAND,
    replaceImpact: 'the frontend is gone: clients and workers cannot connect, timers and activities wait',
  },
  history: roleService(
    'history',
    'Temporal history role: workflow state, timers and the history shards (TEMPORAL_TOPOLOGY=roles)',
    ['schema'],
    'its shards move to the other history instances; with one instance, workflows wait until it is back',
  ),
  matching: roleService(
    'matching',
    'Temporal matching role: the task queues workers poll (TEMPORAL_TOPOLOGY=roles)',
    ['schema'],
    'its task queues move to the other matching instances; with one instance, worker polls wait until it is back',
  ),
  frontend: roleService(
    'frontend',
    'Temporal frontend role: the gRPC and HTTP API, behind frontend-lb (TEMPORAL_TOPOLOGY=roles)',
    ['schema'],
    'calls through frontend-lb go to the other frontends; with one instance, clients cannot connect until it is back',
  ),
  'frontend-lb': {
    description: "nginx balancing clients' gRPC and HTTP calls over the frontends (TEMPORAL_TOPOLOGY=roles)",
    aliases: ['lb', 'load-balancer'],
    image: 'TEMPORAL_UI_PROXY_IMAGE',
    ports: [
      {
        name: 'grpc',
        key: 'TEMPORAL_GRPC_PORT',
        container: 7233,
        purpose: 'gRPC frontend (balanced)',
        endpoint: grpcEndpoint,
      },
      {
        name: 'http',
        key: 'TEMPORAL_HTTP_PORT',
        container: 7243,
        purpose: 'HTTP frontend (balanced)',
        endpoint: httpEndpoint,
      },
    ],
    memoryKey: 'TEMPORAL_FRONTEND_LB_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_FRONTEND_LB_MEMORY.mib,
    kind: 'long-running',
    enabled: rolesTopology,
    after: ['frontend'],
    probe: 'protocol',
    capabilities: NGINX_MASTER_CAPS,
    pidsLimit: 256,
    resourceId: 'frontend_lb',
    replaceImpact: 'clients and workers cannot connect until the new balancer answers (seconds)',
  },
  worker: roleService(
    'worker',
    "Temporal's internal worker role: system workflows such as namespace deletion and batch operations (TEMPORAL_TOPOLOGY=roles)",
    ['frontend'],
    'system workflows (namespace deletion, batch operations, schedules) wait until it is back',
  ),
  ui: {
    description: 'Temporal Web UI',
    aliases: ['temporal-ui', 'web'],
    image: 'TEMPORAL_UI_IMAGE',
    ports: [
      {
        name: 'http',
        key: 'TEMPORAL_UI_PORT',
        container: 8080,
        purpose: 'Web UI',
        endpoint: webUiEndpoint,
        published: (c) => !uiBehindProxy(c),
      },
    ],
    memoryKey: 'TEMPORAL_UI_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_UI_MEMORY.mib,
    kind: 'long-running',
    after: ['server', 'frontend-lb'],
    probe: 'protocol',
    capabilities: [],
    pidsLimit: 256,
    resourceId: 'ui',
    imageCommand: ['./start-ui-server.sh'],
  },
  'ui-proxy': {
    description: 'nginx in front of the Web UI asking for a user and password (TEMPORAL_UI_AUTH=basic)',
    aliases: ['proxy', 'nginx'],
    image: 'TEMPORAL_UI_PROXY_IMAGE',
    ports: [
      {
        name: 'http',
        key: 'TEMPORAL_UI_PORT',
        container: 8080,
        purpose: 'Web UI (basic auth)',
        endpoint: webUiEndpoint,
      },
    ],
    memoryKey: 'TEMPORAL_UI_PROXY_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_UI_PROXY_MEMORY.mib,
    kind: 'long-running',
    enabled: uiBehindProxy,
    after: ['ui'],
    probe: 'protocol',
    capabilities: NGINX_MASTER_CAPS,
    pidsLimit: 256,
    resourceId: 'ui_proxy',
  },
  'admin-tools': {
    description: "admin-tools for Temporal's CLI: docker exec -it <project>-admin-tools temporal ...",
    aliases: ['temporal-admin-tools', 'temporal-cli'],
    image: 'TEMPORAL_ADMINTOOLS_IMAGE',
    ports: [],
    memoryKey: 'TEMPORAL_ADMINTOOLS_MEMORY',
    memoryMiB: (c) => c.TEMPORAL_ADMINTOOLS_MEMORY.mib,
    kind: 'long-running',
    after: ['server', 'frontend-lb'],
    probe: 'container-state',
    capabilities: [],
    pidsLimit: 256,
    resourceId: 'admin_tools',
  },
  prometheus: {
    // No login in front of it (Grafana lets anonymous visitors view): the stores' address, loopback in production.
    publishAddress: 'TEMPORAL_STORE_PUBLISH_ADDRESS',
    description: "Prometheus: scrapes the server's metrics (TEMPORAL_METRICS=prometheus)",
    aliases: ['temporal-prometheus'],
    image: 'PROMETHEUS_IMAGE',
    ports: [
      {
        name: 'http',
        key: 'PROMETHEUS_PORT',
        container: 9090,
        purpose: 'Prometheus',
        endpoint: { label: 'Prometheus', rank: 7, url: (host, port) => `http://${host}:${port}` },
      },
    ],
    memoryKey: 'PROMETHEUS_MEMORY',
    memoryMiB: (c) => c.PROMETHEUS_MEMORY.mib,
    volume: { suffix: 'prometheus-data', target: '/prometheus', resourceId: 'prometheus_data' },
    kind: 'long-running',
    enabled: prometheusOn,
    after: ['server', 'frontend-lb'],
    probe: 'protocol',
    capabilities: [], // runs as its own unprivileged user
    pidsLimit: 512,
    resourceId: 'prometheus',
  },
  grafana: {
    // No login in front of it (Grafana lets anonymous visitors view): the stores' address, loopback in production.
    publishAddress: 'TEMPORAL_STORE_PUBLISH_ADDRESS',
    description: "Grafana: the Prometheus datasource and temporal-ctl's server dashboard (TEMPORAL_GRAFANA=on)",
    aliases: ['temporal-grafana'],
    image: 'GRAFANA_IMAGE',
    ports: [
      {
        name: 'http',
        key: 'GRAFANA_PORT',
        container: 3000,
        purpose: 'Grafana',
        endpoint: { label: 'Grafana', rank: 8, url: (host, port) => `http://${host}:${port}` },
      },
    ],
    memoryKey: 'GRAFANA_MEMORY',
    memoryMiB: (c) => c.GRAFANA_MEMORY.mib,
    // Dashboards users make in Grafana itself live in its database; the provisioned ones are files.
    volume: { suffix: 'grafana-data', target: '/var/lib/grafana', resourceId: 'grafana_data' },
    kind: 'long-running',
    enabled: (c) => prometheusOn(c) && c.TEMPORAL_GRAFANA === 'on',
    after: ['prometheus'],
    probe: 'protocol',
    capabilities: [], // runs as its own unprivileged user
    pidsLimit: 512,
    resourceId: 'grafana',
    imageCommand: ['/run.sh'],
  },
});

export type ServiceName = keyof typeof SERVICE_MODEL;
/** Fixed Terraform id of the bridge network. */
export const NETWORK_RESOURCE_ID = 'network';
