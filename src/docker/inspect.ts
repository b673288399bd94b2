// Single facts the engine reports about one container, image or volume, for modules outside
// src/docker that hold an engine handle (src/stores) and must not call the engine's API themselves.
import type Dockerode from 'dockerode';
import { containerAddress, demux } from './container-exec.js';
import { envListMap } from './env-list.js';

/** A container's environment (Config.Env) as a map. */
export async function containerEnv(docker: Dockerode, id: string): Promise<Map<string, string>> {
  return envListMap((await docker.getContainer(id).inspect()).Config.Env ?? []);
}

/** A container's address on its first network with one. */
export async function containerAddressOf(docker: Dockerode, id: string): Promise<string | undefined> {
  return containerAddress(await docker.getContainer(id).inspect());
}

/** Whether a container runs now (an unknown container is an error). */
export async function isRunning(docker: Dockerode, id: string): Promise<boolean> {
  return (await docker.getContainer(id).inspect()).State.Running;
}

/** The last `tail` lines a container logged, stdout then stderr; empty when the engine has none. */
export async function logTail(docker: Dockerode, id: string, tail: number): Promise<string> {
  const raw = (await docker
    .getContainer(id)
    .logs({ stdout: true, stderr: true, tail })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  const { stdout, stderr } = demux(raw);
  return `${stdout}${stderr}`;
}

/** An image's environment (Config.Env) as a map; empty when the image is not on the engine. */
export async function imageEnv(docker: Dockerode, ref: string): Promise<Map<string, string>> {
  const info = await docker
    .getImage(ref)
    .inspect()
    .catch(() => undefined);
  return envListMap(info?.Config?.Env ?? []);
}

/** Whether a named volume exists on the engine. */
export const volumeExists = (docker: Dockerode, name: string): Promise<boolean> =>
  docker
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
