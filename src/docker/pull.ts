// Pulls images through the Docker engine's API (POST /images/create), with the stored registry login,
// reporting per-image progress as it streams in. And the cheap question before any download: does
// the registry know each reference (GET /distribution/<ref>/json asks it for the manifest only)?
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { apiMessage, withDocker, type Env } from './client.js';
import type { Deadline } from './deadline.js';
import { PullTracker, type PullMessage, type PullProgress } from './pull-tracker.js';
import { registryAuth, type RegistryAuth } from './registry-auth.js';

export interface PullOptions {
  /** How long the engine may take to start answering (it answers once the registry resolved the reference). */
  readonly deadline: Deadline;
  /** Aborted: the pull stops (the engine cancels it when the connection closes). */
  readonly signal?: AbortSignal;
  /** Progress, at most every PROGRESS_EVERY_MS per image plus every change of phase. */
  readonly onProgress?: (progress: PullProgress) => void;
}

/** How often a pull reports its byte counts (a layer reports every few hundred KB). */
const PROGRESS_EVERY_MS = 250;

type DialCallback = (error: unknown, data?: unknown) => void;
interface Dialer {
  dial(options: object, callback: DialCallback): void;
}

function dial<T>(docker: Dockerode, options: object): Promise<T> {
  return new Promise((resolve, reject) =>
    (docker.modem as Dialer).dial(options, (error, data) => (error ? reject(error) : resolve(data as T))),
  );
}

/** `name:tag` (or `name@digest`) split as the API's fromImage and tag take them. */
export function splitReference(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { fromImage: ref, tag: 'latest' };
}

/** The engine's own sentence, without docker-modem's `(HTTP code 404) not found - ` in front. */
export function reasonOf(error: unknown): string {
  return apiMessage(error)
    .replace(/^\(HTTP code \d+\)[^-]*- /, '')
    .replace(/^(.+): \1$/, '$1') // the registry's "manifest unknown: manifest unknown"
    .trim();
}

const STATUS_CODES = { 200: true, 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 500: 'server error' };

/**
 * For each reference, why the registry cannot give it (undefined: it can). Asks for the manifest
 * only, so a misspelled tag or an unreachable registry shows in a second, before anything is pulled.
 */
export function unpullable(
  refs: readonly string[],
  env: Env,
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<(string | undefined)[]> {
  return withDocker(
    env,
    (docker) =>
      Promise.all(
        refs.map((ref) =>
          dial(docker, {
            path: `/distribution/${ref}/json`,
            method: 'GET',
            authconfig: registryAuth(ref, env),
            abortSignal: signal,
            statusCodes: STATUS_CODES,
          }).then(
            () => undefined,
            (error: unknown) => {
              // Only the engine's answers are the registry's reasons; a dead or stuck engine is reported as such.
              if ((error as { statusCode?: number }).statusCode === undefined) throw error;
              return reasonOf(error);
            },
          ),
        ),
      ),
    deadline,
  );
}

/** Pulls ref onto the engine; rejects with the engine's or the registry's message. */
export function pullImage(ref: string, env: Env, options: PullOptions): Promise<void> {
  const auth: RegistryAuth | undefined = registryAuth(ref, env);
  return withDocker(
    env,
    async (docker) => {
      const stream = await dial<Readable>(docker, {
        path: '/images/create?',
        method: 'POST',
        options: splitReference(ref),
        authconfig: auth,
        abortSignal: options.signal,
        isStream: true,
        statusCodes: STATUS_CODES,
      });
      await follow(stream, new PullTracker(ref), options.onProgress);
    },
    options.deadline,
  );
}

/** Reads the stream to its end, reporting progress; a message with an error ends it with that error. */
async function follow(stream: Readable, tracker: PullTracker, onProgress: PullOptions['onProgress']): Promise<void> {
  let last = tracker.progress();
  let lastAt = performance.now();
  onProgress?.(last);
  let pending = '';
  for await (const chunk of stream) {
    pending += String(chunk);
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim() !== '')) tracker.take(JSON.parse(line) as PullMessage);
    const now = tracker.progress();
    if (now.phase !== last.phase || performance.now() - lastAt >= PROGRESS_EVERY_MS) {
      onProgress?.(now);
      last = now;
      lastAt = performance.now();
    }
  }
  if (pending.trim() !== '') tracker.take(JSON.parse(pending) as PullMessage);
  tracker.finish();
  onProgress?.(tracker.progress());
}
