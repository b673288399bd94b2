// Commands inside containers through the engine's API (docker exec, and short-lived containers),
// so they work with a remote DOCKER_HOST. Secrets go in as environment variables of the exec or
// the container, never as arguments (which `docker inspect` and `ps` show).
import type { Duplex, Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import { sleep } from '../sleep.js';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs cmd in a running container (docker exec) and collects its output and exit code. */
export async function execIn(
  docker: Dockerode,
  containerId: string,
  cmd: readonly string[],
  env: readonly string[] = [],
): Promise<CommandResult> {
  const exec = await docker
    .getContainer(containerId)
    .exec({ Cmd: [...cmd], Env: [...env], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const all: Buffer[] = [];
    stream.on('data', (b: Buffer) => all.push(b));
    stream.once('end', () => resolve(all));
    stream.once('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, ...demux(Buffer.concat(chunks)) };
}

/** Docker's multiplexed stream (8-byte frame headers: stream type, size) split into stdout and stderr. */
export function demux(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    const frame = raw.subarray(at + 8, at + 8 + size);
    (raw[at] === 2 ? err : out).push(frame);
    at += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Creates, runs to its end and removes a short-lived container; its output and exit code. */
export async function runToCompletion(
  docker: Dockerode,
  options: Dockerode.ContainerCreateOptions,
): Promise<CommandResult> {
  const container = await docker.createContainer({ ...options, Tty: false });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: StatusCode, ...demux(logs) };
  } finally {
    await container.remove({ force: true, v: false }).catch(() => undefined);
  }
}

/** The container's address on its first network with one (what a peer container would connect to). */
export function containerAddress(info: Dockerode.ContainerInspectInfo): string | undefined {
  const networks = Object.values(info.NetworkSettings.Networks ?? {});
  return networks.map((n) => n.IPAddress).find((ip) => ip) ?? (info.NetworkSettings.IPAddress || undefined);
}

/**
 * Creates and starts a detached container named `name`; its id. A leftover of a killed run that
 * still holds the name is removed first. stopAndAwaitRemoval ends it.
 */
export async function startNamedContainer(
  docker: Dockerode,
  name: string,
  options: Omit<Dockerode.ContainerCreateOptions, 'name'>,
): Promise<string> {
  await docker
    .getContainer(name)
    .remove({ force: true, v: false })
    .catch(() => undefined);
  const container = await docker.createContainer({ name, ...options });
  await container.start();
  return container.id;
}

/**
 * Stops a container as `docker stop` would (30 s before SIGKILL), removes it, and waits up to 10 s
 * until the engine no longer knows it: AutoRemove finishes after stop returns, and its volumes are
 * free for another container only then.
 */
export async function stopAndAwaitRemoval(docker: Dockerode, id: string): Promise<void> {
  const container = docker.getContainer(id);
  await container.stop({ t: 30 }).catch(() => undefined);
  await container.remove({ force: true, v: false }).catch(() => undefined); // AutoRemove usually did
  const deadline = performance.now() + 10_000;
  while (
    performance.now() < deadline &&
    (await container.inspect().then(
      () => true,
      () => false,
    ))
  )
    await sleep(100);
}

/** A docker exec whose stdin (when asked), stdout and stderr are one multiplexed stream. */
export interface AttachedExec {
  readonly stream: Duplex;
  /** The exec's exit code, once it ended (the engine's ExitCode). */
  exitCode(): Promise<number | null | undefined>;
}

/** Starts cmd by docker exec, attached; an abort closes the connection (the program then ends on a broken pipe). */
export async function startAttachedExec(
  docker: Dockerode,
  containerId: string,
  cmd: readonly string[],
  env: readonly string[],
  stdin: boolean,
  signal?: AbortSignal,
): Promise<AttachedExec> {
  signal?.throwIfAborted();
  const exec = await docker.getContainer(containerId).exec({
    Cmd: [...cmd],
    Env: [...env],
    AttachStdin: stdin,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin })) as Duplex;
  signal?.addEventListener('abort', () => stream.destroy(new Error('interrupted')), { once: true });
  return { stream, exitCode: async () => (await exec.inspect()).ExitCode };
}

/** Splits an attached exec's multiplexed output into its stdout and stderr streams as it arrives. */
export function demuxStream(docker: Dockerode, stream: Duplex, stdout: Writable, stderr: Writable): void {
  docker.modem.demuxStream(stream, stdout, stderr);
}

/** How a container started by startAndAwaitExit ended. */
export interface ContainerExit {
  readonly exitCode: number;
  /** What it logged since the start (its last 10 lines, stdout then stderr); empty after exit 0. */
  readonly output: string;
}

/**
 * Starts an existing container (one-shot: created or exited) and polls every 500 ms until it exits;
 * undefined when it still runs after timeoutMs.
 */
export async function startAndAwaitExit(
  docker: Dockerode,
  id: string,
  timeoutMs: number,
): Promise<ContainerExit | undefined> {
  const container = docker.getContainer(id);
  const since = Math.floor(Date.now() / 1000);
  await container.start();
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const state = (await container.inspect()).State;
    if (!state.Running) {
      if (state.ExitCode === 0) return { exitCode: 0, output: '' };
      const raw = (await container.logs({ stdout: true, stderr: true, since, tail: 10 })) as unknown as Buffer;
      const { stdout, stderr } = demux(raw);
      return { exitCode: state.ExitCode, output: `${stdout}${stderr}` };
    }
    if (performance.now() > deadline) return undefined;
    await sleep(500);
  }
}
