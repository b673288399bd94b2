// The cluster's PostgreSQL where this engine cannot exec into it: a swarm's task runs on whichever
// node the swarm placed it, and an external server (POSTGRES_HOST) is not a container at all. A
// short-lived client container of the PostgreSQL image (for a swarm the service's own, so psql,
// pg_dump and pg_restore match the server's major version) joins the cluster's network on this
// engine and logs in over TCP, as the server does: the store is never published for it, and
// nothing is staged where the data lives.
import type { ClusterConfig } from '../config/schema.js';
import type { DockerApi } from '../docker/client.js';
import { execIn, startNamedContainer, stopAndAwaitRemoval } from '../docker/container-exec.js';
import { stackFilter } from '../docker/containers.js';
import { listStackServices } from '../docker/swarm-services.js';
import { OperationError } from '../errors.js';
import { containerName, networkName } from '../model/names-and-endpoints.js';
import { externalPostgres } from '../model/postgres-layout.js';
import { containerPort, imageFor } from '../model/service-facts.js';
import { sleep } from '../sleep.js';
import type { DataPostgres, PostgresLogin, VolumeData } from './postgres-data.js';

const READY_WITHIN_MS = 60_000;
/** The client's lifetime bound: a temporal-ctl killed mid-operation leaves nothing running for long. */
const CLIENT_SECONDS = 3600;
/** Where the client keeps the CA of an external server's certificate (POSTGRES_TLS=verify-full). */
const CA_IN_CLIENT = '/tmp/postgres-ca.pem';

/** The server the client logs in to, and how. */
interface Target {
  readonly address: string;
  readonly port: string;
  readonly image: string;
  readonly network: string;
  /** libpq's TLS settings (PGSSLMODE, PGSSLROOTCERT). */
  readonly tls: readonly string[];
  /** The CA's text, written into the client for verify-full. */
  readonly ca?: string;
  /** POSTGRES_USER of a swarm service: the user its data was initialized with. */
  readonly containerUser?: string;
}

/**
 * Calls fn with the cluster's PostgreSQL reached over the network; undefined when there is nothing
 * to reach yet (a swarm stack without its PostgreSQL service). `password`: the one to log in with.
 */
export async function withPostgresOnNetwork<T>(
  docker: DockerApi,
  c: ClusterConfig,
  beforeServer: (data: VolumeData) => void,
  fn: (pg: DataPostgres) => Promise<T>,
  password: string = c.POSTGRES_PASSWORD,
): Promise<T | undefined> {
  const target = externalPostgres(c) ? await externalTarget(docker, c) : await swarmTaskTarget(docker, c);
  if (!target) return undefined;
  const id = await startClient(docker, c, target);
  try {
    const pg = await connect(docker, id, target, c, password);
    const data = await dataOf(pg);
    beforeServer(data);
    return await fn({ ...pg, data });
  } finally {
    await stopAndAwaitRemoval(docker, id);
  }
}

async function swarmTaskTarget(docker: DockerApi, c: ClusterConfig): Promise<Target | undefined> {
  const service = (await listStackServices(docker, stackFilter(c))).find((s) => s.service === 'postgresql');
  if (!service) return undefined;
  if (service.replicas === 0)
    throw new OperationError(`${service.name} is scaled to zero, so its data cannot be read`, {
      hint: 'run `temporal-ctl start` first',
    });
  return {
    address: service.name,
    port: String(containerPort('postgresql', 'postgres')),
    image: service.image,
    network: networkName(c),
    tls: [],
    containerUser: service.env.get('POSTGRES_USER'),
  };
}

/** POSTGRES_HOST from the stack's network when it exists (as the server reaches it), else the default bridge. */
async function externalTarget(docker: DockerApi, c: ClusterConfig): Promise<Target> {
  const network = await docker
    .getNetwork(networkName(c))
    .inspect()
    .then(
      () => networkName(c),
      () => 'bridge',
    );
  const verify = c.POSTGRES_TLS === 'verify-full';
  const { readFileSync } = await import('node:fs');
  return {
    address: c.POSTGRES_HOST,
    port: String(c.POSTGRES_HOST_PORT),
    image: imageFor(c, 'postgresql'),
    network,
    tls: [
      `PGSSLMODE=${c.POSTGRES_TLS === 'off' ? 'disable' : c.POSTGRES_TLS}`,
      ...(verify ? [`PGSSLROOTCERT=${CA_IN_CLIENT}`] : []),
    ],
    ...(verify ? { ca: readFileSync(c.POSTGRES_TLS_CA_CERT_PATH, 'utf8') } : {}),
  };
}

/** How long to retry attaching to a swarm network the engine is still setting up or tearing down. */
const ATTACH_WITHIN_MS = 30_000;

/**
 * The client: it only sleeps (every tool runs by docker exec); the CA lands in a file first. An
 * engine that has just seen its last task on the network leave (a `stop`, then `start`) answers
 * for a moment that the network is not found: that is retried.
 */
async function startClient(docker: DockerApi, c: ClusterConfig, target: Target): Promise<string> {
  const script = `[ -z "$TEMPORAL_CTL_CA" ] || printf '%s' "$TEMPORAL_CTL_CA" > ${CA_IN_CLIENT}; exec sleep ${CLIENT_SECONDS}`;
  const deadline = performance.now() + ATTACH_WITHIN_MS;
  for (;;) {
    try {
      return await startNamedContainer(docker, `${containerName(c, 'postgresql')}-client`, {
        Image: target.image,
        Entrypoint: ['sh', '-c', script],
        Env: target.ca ? [`TEMPORAL_CTL_CA=${target.ca}`] : [],
        HostConfig: { AutoRemove: true, NetworkMode: target.network },
      });
    } catch (error) {
      const message = (error as Error).message;
      if (/network .* not found/i.test(message) && performance.now() < deadline) {
        await sleep(1000);
        continue;
      }
      const missingImage = /no such image|not found: manifest|pull access denied/i.test(message);
      throw new OperationError(
        `could not start a PostgreSQL client on network ${target.network} of this engine: ${message}`,
        {
          hint: missingImage
            ? `the engine DOCKER_HOST names needs image ${target.image} (\`docker pull\` it there)`
            : 'check the network with `docker network ls` on the engine DOCKER_HOST names, and `temporal-ctl status`',
          cause: error,
        },
      );
    }
  }
}

async function connect(
  docker: DockerApi,
  id: string,
  target: Target,
  c: ClusterConfig,
  password: string,
): Promise<Omit<DataPostgres, 'data'>> {
  const { address, port } = target;
  const env = [`PGPASSWORD=${password}`, 'PGCONNECT_TIMEOUT=10', ...target.tls];
  await waitReady(docker, id, address, port, env);
  const login: PostgresLogin = {
    docker,
    containerId: id,
    address,
    port,
    env,
    args: ['-w', '-h', address, '-p', port, '-U', c.POSTGRES_USER],
  };
  const psql = (database: string, sql: string) =>
    execIn(docker, id, ['psql', ...login.args, '-X', '-q', '-At', '-d', database, '-c', sql], login.env);
  return { via: 'network', containerUser: target.containerUser, psql, login };
}

/**
 * The major version of the client's image. For a swarm's service it is the image the task runs,
 * so its data's (a server reads no other major); for an external server it is the tools' version.
 */
async function dataOf(pg: Omit<DataPostgres, 'data'>): Promise<VolumeData> {
  const r = await execIn(pg.login.docker, pg.login.containerId, ['postgres', '--version']);
  const major = /\(PostgreSQL\) (\d+)/.exec(r.stdout)?.[1];
  if (!major)
    throw new OperationError(
      `could not read the PostgreSQL version of the image: ${r.stdout.trim() || r.stderr.trim()}`,
    );
  return { kind: 'data', dataMajor: Number(major), dataDir: 'PGDATA' };
}

/** pg_isready until the server answers (a task just (re)scheduled recovers first). */
async function waitReady(
  docker: DockerApi,
  id: string,
  address: string,
  port: string,
  env: readonly string[],
): Promise<void> {
  const deadline = performance.now() + READY_WITHIN_MS;
  for (;;) {
    const r = await execIn(docker, id, ['pg_isready', '-q', '-h', address, '-p', port], env);
    if (r.exitCode === 0) return;
    if (performance.now() > deadline)
      throw new OperationError(`PostgreSQL at ${address}:${port} did not accept connections within 60s`, {
        hint: 'check `temporal-ctl status`, and that the server is reachable from the cluster network',
      });
    await sleep(500);
  }
}
