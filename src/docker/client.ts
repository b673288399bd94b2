// The one place that builds a Docker client. We construct dockerode's options from the
// environment ourselves (instead of letting docker-modem read process.env) so the
// Context's env is honoured and the gaps in docker-modem's parsing are closed:
// tcp:// without a port (docker-modem would use port 80), DOCKER_TLS_VERIFY set to any
// non-empty value, and DOCKER_CERT_PATH defaulting to ~/.docker as the docker CLI does.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { schema, type ClusterConfig } from '../config/schema.js';
import { OperationError } from '../errors.js';
import { applyDeadline, type Deadline } from './deadline.js';
import { hostKeyAlgorithms, knownHostsFiles, knownKeys, refusalMessage, verifyHostKey } from './known-hosts.js';

export type Env = Record<string, string | undefined>;

/**
 * The engine handle withDocker hands out. Modules outside src/docker hold it only to pass it back
 * into src/docker's functions: the engine's API itself is called here.
 */
export type DockerApi = Dockerode;

export interface DockerHandle {
  docker: Dockerode;
  /** DOCKER_HOST as a person would write it, for messages. */
  host: string;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where the engine is, as the docker CLI would understand DOCKER_HOST. */
export function describeHost(env: Env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== '' ? env.DOCKER_HOST : `unix://${DEFAULT_SOCKET}`;
}

/** dockerode constructor options for DOCKER_HOST (unix, npipe, tcp, http(s), ssh). */
export function dockerOptions(env: Env): Dockerode.DockerOptions {
  const raw = describeHost(env);
  if (raw.startsWith('unix://')) return { socketPath: raw.slice('unix://'.length) || DEFAULT_SOCKET };
  if (raw.startsWith('npipe://')) return { socketPath: raw.slice('npipe://'.length) || '//./pipe/docker_engine' };
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `tcp://${raw}`);
  } catch {
    throw new OperationError(
      `DOCKER_HOST "${raw}" is not a Docker address: use unix:///var/run/docker.sock, tcp://HOST:2376 or ssh://USER@HOST`,
    );
  }
  if (url.protocol === 'ssh:') return sshOptions(url, env);
  const tls =
    Boolean(env.DOCKER_TLS_VERIFY) || env.DOCKER_TLS === '1' || url.protocol === 'https:' || url.port === '2376';
  const options: Dockerode.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (tls ? 2376 : 2375)),
  };
  if (tls) Object.assign(options, certificates(env));
  return options;
}

/** The refusal of the last ssh host key that did not verify: the handshake error itself only says "Host denied". */
let hostKeyRefusal: OperationError | undefined;

/**
 * docker-modem runs `docker system dial-stdio` on the remote host over ssh2, with the ssh agent. The
 * host key must be in known_hosts (./known-hosts.ts): ssh2 would accept any key.
 */
function sshOptions(url: URL, env: Env): Dockerode.DockerOptions {
  const host = url.hostname;
  const port = Number(url.port || 22);
  const files = knownHostsFiles(env);
  const known = knownKeys(files, host, port);
  const algorithms = hostKeyAlgorithms(known);
  const hostVerifier = (key: Buffer): boolean => {
    const verdict = verifyHostKey(known, key);
    hostKeyRefusal = verdict.ok
      ? undefined
      : new OperationError(refusalMessage(verdict, { host, port, file: files[0]! }));
    return verdict.ok;
  };
  return {
    protocol: 'ssh',
    host,
    port,
    username: url.username || undefined,
    sshOptions: {
      agent: env.SSH_AUTH_SOCK,
      hostVerifier,
      ...(algorithms ? { algorithms: { serverHostKey: algorithms } } : {}),
    },
  } as Dockerode.DockerOptions;
}

function certificates(env: Env): Pick<Dockerode.DockerOptions, 'ca' | 'cert' | 'key'> {
  const dir = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file));
    } catch {
      throw new OperationError(
        `TLS file ${join(dir, file)} for DOCKER_HOST is missing: set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem`,
      );
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/** Loads dockerode ahead of a timed section (status latencies measure the engine, not our imports). */
export const preloadDocker = async (): Promise<void> => {
  await import('dockerode');
};

/** The deadline of every Docker call for a config (TEMPORAL_DOCKER_TIMEOUT). */
export function dockerDeadline(c: ClusterConfig): Deadline {
  return { ms: c.TEMPORAL_DOCKER_TIMEOUT, key: 'TEMPORAL_DOCKER_TIMEOUT' };
}

/** TEMPORAL_DOCKER_TIMEOUT's default, for the few callers without a config (read from the schema). */
const DEFAULT_DEADLINE: Deadline = {
  ms: (schema.TEMPORAL_DOCKER_TIMEOUT.parse(schema.TEMPORAL_DOCKER_TIMEOUT.default as string) as { value: number })
    .value,
  key: 'TEMPORAL_DOCKER_TIMEOUT',
};

/** A Docker client for env's DOCKER_HOST whose every call has the deadline; dockerode is loaded only here. */
export async function connectDocker(env: Env = process.env, deadline = DEFAULT_DEADLINE): Promise<DockerHandle> {
  const { default: Docker } = await import('dockerode');
  const handle = { docker: new Docker(dockerOptions(env)), host: describeHost(env) };
  applyDeadline(handle.docker, handle.host, deadline);
  return handle;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ECONNRESET',
  'EAI_AGAIN',
  'EPIPE',
]);

/** Turns "cannot talk to the engine" into one sentence; other errors pass through. */
export function engineError(error: unknown, host: string): unknown {
  if (hostKeyRefusal && (error as { level?: string } | undefined)?.level === 'handshake') return hostKeyRefusal;
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'EACCES') {
    return new OperationError(
      `Permission denied on the Docker engine at ${host}: add your user to the docker group (or run as root) and retry`,
      {
        cause: error,
      },
    );
  }
  const level = (error as { level?: string } | undefined)?.level; // ssh2 connection failures
  if ((code && UNREACHABLE.has(code)) || level === 'client-socket' || level === 'client-authentication') {
    return new OperationError(
      `Docker engine is not reachable at ${host}: start Docker (or set DOCKER_HOST) and retry`,
      { cause: error },
    );
  }
  return error;
}

/** Runs fn against the engine (each call within deadline), mapping connection failures to OperationError. */
export async function withDocker<T>(
  env: Env,
  fn: (docker: Dockerode) => Promise<T>,
  deadline = DEFAULT_DEADLINE,
): Promise<T> {
  const handle = await connectDocker(env, deadline);
  try {
    return await fn(handle.docker);
  } catch (error) {
    throw engineError(error, handle.host);
  }
}

/** withDocker with the config's deadline (TEMPORAL_DOCKER_TIMEOUT): what every stack operation uses. */
export function withStackDocker<T>(c: ClusterConfig, env: Env, fn: (docker: Dockerode) => Promise<T>): Promise<T> {
  return withDocker(env, fn, dockerDeadline(c));
}

/** Docker's own message for an API error (statusCode + json.message), else the error text. */
export function apiMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return e?.json?.message ?? e?.message ?? String(error);
}
