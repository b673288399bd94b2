// Images on the Docker engine for air-gapped hosts: which references are present, `docker save`
// of several into one tar, `docker load` of a tar. dockerode is loaded on first use (client.ts).
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { OperationError } from '../errors.js';
import { apiMessage, withDocker, type Env } from './client.js';
import type { Deadline } from './deadline.js';

export interface ImagePresence {
  ref: string;
  present: boolean;
  /** Image id (sha256:...) when present. */
  id?: string;
  /** Bytes on disk when present. */
  size?: number;
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number } | undefined)?.statusCode;

async function inspect(docker: Dockerode, ref: string): Promise<ImagePresence> {
  try {
    const info = await docker.getImage(ref).inspect();
    return { ref, present: true, id: info.Id, size: info.Size };
  } catch (error) {
    if (statusOf(error) === 404) return { ref, present: false };
    throw error;
  }
}

/** Whether each reference exists in the engine's local image store (no registry is asked). */
export function imagePresence(refs: string[], env: Env, deadline?: Deadline): Promise<ImagePresence[]> {
  return withDocker(env, (docker) => Promise.all(refs.map((ref) => inspect(docker, ref))), deadline);
}

/**
 * `docker save` of refs into one tar at file. Written to file.partial first and renamed, so an
 * interrupted save never leaves a tar that looks complete. Resolves to the tar's size in bytes.
 */
export async function saveImages(refs: string[], file: string, env: Env, deadline?: Deadline): Promise<number> {
  const partial = `${file}.partial`;
  try {
    await withDocker(
      env,
      async (docker) => {
        // GET /images/get?names=...: dockerode has it, @types/dockerode does not declare it.
        const exporter = docker as unknown as { getImages(opts: { names: string[] }): Promise<Readable> };
        const tar = await exporter.getImages({ names: refs });
        await pipeline(tar, createWriteStream(partial));
      },
      deadline,
    );
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof OperationError) throw error;
    throw new OperationError(`docker save into ${file} failed: ${apiMessage(error)}`, {
      hint: 'check free disk space and that the directory is writable, then retry',
      cause: error,
    });
  }
  return (await stat(file)).size;
}

/** One line of the engine's `docker load` progress stream. */
interface LoadMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** `docker load` of a tar; resolves to the references (or ids) the engine reports as loaded. */
export async function loadImages(file: string, env: Env, deadline?: Deadline): Promise<string[]> {
  const text = await withDocker(
    env,
    async (docker) => {
      const response = (await docker.loadImage(createReadStream(file), { quiet: true })) as unknown as Readable;
      let body = '';
      for await (const chunk of response) body += chunk.toString();
      return body;
    },
    deadline,
  ).catch((error: unknown) => {
    if (error instanceof OperationError) throw error;
    throw new OperationError(`docker load of ${file} failed: ${apiMessage(error)}`, {
      hint: 'check that the file is a tar written by `temporal-ctl images save` or `docker save`',
      cause: error,
    });
  });
  const messages = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LoadMessage);
  const failed = messages.find((m) => m.error || m.errorDetail);
  if (failed) {
    throw new OperationError(`docker load of ${file} failed: ${failed.errorDetail?.message ?? failed.error}`, {
      hint: 'check that the file is a complete tar written by `temporal-ctl images save` or `docker save`',
    });
  }
  return messages.flatMap((m) => /Loaded image(?: ID)?: (\S+)/.exec(m.stream ?? '')?.[1] ?? []);
}
