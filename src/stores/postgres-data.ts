// Reaching the PostgreSQL data of a cluster before terraform touches anything: through the running
// postgres container (docker exec), or, when only the volume is left (after `down` without
// --volumes), through short-lived containers of the configured image on the volume. Everything
// goes through the Docker engine, so a remote DOCKER_HOST works the same.
//
// Logins go over TCP to the container's network address, never 127.0.0.1 or the socket: the
// official image's initdb trusts loopback and socket connections, so only a network address makes
// PostgreSQL check the password.
import { containerName } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { withStackDocker, type DockerApi, type Env } from '../docker/client.js';
import {
  execIn,
  runToCompletion,
  startNamedContainer,
  stopAndAwaitRemoval,
  type CommandResult,
} from '../docker/container-exec.js';
import { listWith } from '../docker/containers.js';
import { containerAddressOf, containerEnv, imageEnv, isRunning, logTail, volumeExists } from '../docker/inspect.js';
import { containerPort, imageFor, serviceVolume } from '../model/service-facts.js';
import { sleep } from '../sleep.js';
import { swarmTarget } from '../model/swarm-placement.js';
import { externalPostgres } from '../model/postgres-layout.js';

/** What the data volume holds. */
export type VolumeData =
  | { readonly kind: 'none' } // no volume, or an empty one: initdb runs at the first start
  | { readonly kind: 'data'; readonly dataMajor: number; readonly dataDir: string };

export interface DataPostgres {
  /** The volume's data directory (relative to the volume) and its PG_VERSION. */
  readonly data: VolumeData;
  /**
   * 'running': the stack's container; 'temporary': a short-lived server started on the volume;
   * 'network': a swarm's task or an external server, through a client container on the cluster network.
   */
  readonly via: 'running' | 'temporary' | 'network';
  /** The running container's POSTGRES_USER (the user of the first start, as far as the container knows). */
  readonly containerUser?: string;
  /** psql as the configured user and password over TCP; exit code 0 when the login and query worked. */
  psql(database: string, sql: string): Promise<CommandResult>;
  /** Where a client inside the container logs in over TCP (for pg_dump and pg_restore by docker exec). */
  readonly login: PostgresLogin;
}

export interface PostgresLogin {
  readonly docker: DockerApi;
  readonly containerId: string;
  readonly address: string;
  readonly port: string;
  /** The exec's environment with the configured password (never an argument). */
  readonly env: readonly string[];
  /** The connection arguments of psql, pg_dump and pg_restore: host, port, user, no password prompt. */
  readonly args: readonly string[];
}

const READY_WITHIN_MS = 60_000;
/**
 * The image's own entrypoint and server, bounded: a temporal-ctl killed mid-check (Ctrl-C, SIGKILL)
 * must not leave a second server on the data once the stack's postgres starts on it. After 120 s,
 * or on `docker stop`, PostgreSQL gets SIGINT (fast shutdown) and the container removes itself.
 */
const BOUNDED_SERVER = [
  `trap 'kill -INT "$pid" 2>/dev/null' INT TERM`,
  'docker-entrypoint.sh postgres & pid=$!',
  'sleep 120 & wait $!',
  'kill -INT "$pid" 2>/dev/null',
  'while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done',
].join('\n');
/** Finds PG_VERSION at the volume's root (before 18) or in <major>/docker (18+); prints "<version> <dir>". */
const FIND_PG_VERSION = `for f in /v/PG_VERSION /v/*/docker/PG_VERSION; do if [ -s "$f" ]; then d=\${f%/PG_VERSION}; d=\${d#/v}; echo "$(cat "$f") \${d#/}"; exit 0; fi; done; exit 3`;

/** What the volume holds, read by a short-lived container with the volume mounted read-only. */
export async function readVolumeData(docker: DockerApi, c: ClusterConfig): Promise<VolumeData> {
  const volume = serviceVolume(c, 'postgresql')!;
  if (!(await volumeExists(docker, volume.name))) return { kind: 'none' };
  const r = await runToCompletion(docker, {
    Image: imageFor(c, 'postgresql'),
    Entrypoint: ['sh', '-c', FIND_PG_VERSION],
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume.name, Target: '/v', ReadOnly: true }] },
  });
  if (r.exitCode === 3) return { kind: 'none' };
  const [version = '', dir = ''] = r.stdout.trim().split(/\s+/);
  if (r.exitCode !== 0 || !/^\d+$/.test(version))
    throw new Error(`could not read PG_VERSION from volume ${volume.name}: ${r.stderr.trim() || r.stdout.trim()}`);
  return { kind: 'data', dataMajor: Number(version), dataDir: dir || '.' };
}

/**
 * Calls fn with access to the cluster's PostgreSQL data: the running postgres container when there
 * is one, else (volume data, no container running) a temporary server of the configured image on
 * the volume, removed afterwards. `beforeServer` sees the volume's data first and may throw to stop
 * before any server starts (a major-version mismatch would crash it). None: no data to check.
 */
export function withDataPostgres<T>(
  c: ClusterConfig,
  env: Env,
  beforeServer: (data: VolumeData) => void,
  fn: (pg: DataPostgres) => Promise<T>,
): Promise<T | undefined> {
  return withStackDocker(c, env, (docker) => dataPostgres(docker, c, beforeServer, fn));
}

async function dataPostgres<T>(
  docker: DockerApi,
  c: ClusterConfig,
  beforeServer: (data: VolumeData) => void,
  fn: (pg: DataPostgres) => Promise<T>,
): Promise<T | undefined> {
  if (swarmTarget(c) || externalPostgres(c)) {
    const { withPostgresOnNetwork } = await import('./postgres-on-network.js');
    return withPostgresOnNetwork(docker, c, beforeServer, fn);
  }
  const container = (await listWith(docker, c)).find((s) => s.service === 'postgresql');
  if (container?.state === 'running') {
    const data = await runningData(docker, container.id);
    beforeServer(data);
    if (data.kind === 'none') return undefined;
    const env = await containerEnv(docker, container.id);
    const pg = await connect(docker, container.id, c, data, 'running', env.get('POSTGRES_USER'));
    return fn(pg);
  }
  const data = await readVolumeData(docker, c);
  beforeServer(data);
  if (data.kind === 'none') return undefined;
  // A container that restarts (a crash loop) may start its server at any time: never a second one beside it.
  if (container && !['exited', 'created', 'dead'].includes(container.state))
    throw new Error(`${container.name} is ${container.state}, so no second server may open its data`);
  const id = await startTemporaryServer(docker, c);
  try {
    return await fn(await connect(docker, id, c, data, 'temporary'));
  } finally {
    // `docker stop`'s SIGINT is PostgreSQL's fast shutdown; the volume is free once the container is gone.
    await stopAndAwaitRemoval(docker, id);
  }
}

async function runningData(docker: DockerApi, id: string): Promise<VolumeData> {
  const r = await execIn(docker, id, ['sh', '-c', 'cat "$PGDATA/PG_VERSION"']);
  const version = r.stdout.trim();
  if (r.exitCode !== 0 || !/^\d+$/.test(version)) return { kind: 'none' }; // initdb still running
  return { kind: 'data', dataMajor: Number(version), dataDir: 'PGDATA' };
}

/** The configured image on the volume, on the default bridge (an address whose logins need the password). */
function startTemporaryServer(docker: DockerApi, c: ClusterConfig): Promise<string> {
  const volume = serviceVolume(c, 'postgresql')!;
  return startNamedContainer(docker, `${containerName(c, 'postgresql')}-preflight`, {
    Image: imageFor(c, 'postgresql'),
    Entrypoint: ['sh', '-c', BOUNDED_SERVER],
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume.name, Target: volume.target }], AutoRemove: true },
  });
}

async function connect(
  docker: DockerApi,
  id: string,
  c: ClusterConfig,
  data: VolumeData,
  via: DataPostgres['via'],
  containerUser?: string,
): Promise<DataPostgres> {
  const address = await containerAddressOf(docker, id);
  if (!address) throw new Error(`the postgres container ${id.slice(0, 12)} has no network address to log in over`);
  const port = String(containerPort('postgresql', 'postgres'));
  await waitReady(docker, id, address, port);
  const login: PostgresLogin = {
    docker,
    containerId: id,
    address,
    port,
    env: [`PGPASSWORD=${c.POSTGRES_PASSWORD}`, 'PGCONNECT_TIMEOUT=10'],
    args: ['-w', '-h', address, '-p', port, '-U', c.POSTGRES_USER],
  };
  const psql = (database: string, sql: string) =>
    execIn(docker, id, ['psql', ...login.args, '-X', '-q', '-At', '-d', database, '-c', sql], login.env);
  return { data, via, containerUser, psql, login };
}

/** pg_isready until the server accepts connections (a just resumed or started container recovers first). */
async function waitReady(docker: DockerApi, id: string, address: string, port: string): Promise<void> {
  const deadline = performance.now() + READY_WITHIN_MS;
  for (;;) {
    const r = await execIn(docker, id, ['pg_isready', '-q', '-h', address, '-p', port]);
    if (r.exitCode === 0) return;
    if (!(await isRunning(docker, id)) || performance.now() > deadline) {
      const lastLines = lastThreeLines(await logTail(docker, id, 5));
      throw new Error(`PostgreSQL on the data volume did not accept connections within 60s: ${lastLines}`);
    }
    await sleep(500);
  }
}

const lastThreeLines = (logged: string): string => logged.trim().split('\n').slice(-3).join(' | ') || 'no output';

/** Which of the named volumes exist on the engine. */
export function existingVolumes(c: ClusterConfig, env: Env, names: readonly string[]): Promise<string[]> {
  return withStackDocker(c, env, async (docker) => {
    const present = await Promise.all(names.map((n) => volumeExists(docker, n)));
    return names.filter((_, i) => present[i]);
  });
}

/** PG_MAJOR of the configured image (the official images set it), when the image is on the engine. */
export function imagePgMajor(c: ClusterConfig, env: Env): Promise<number | undefined> {
  return withStackDocker(c, env, async (docker) => {
    const value = (await imageEnv(docker, imageFor(c, 'postgresql'))).get('PG_MAJOR');
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  });
}
