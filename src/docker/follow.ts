// `logs --follow` of one service across restarts and recreations. Docker ends a container's log
// stream when the container stops, so following one container id went silent at its first
// restart. Here a service is followed, not a container: when a stream ends, the service's
// container (found by label, so a recreated one with a new id counts) is awaited until it runs
// again, then read from the last line seen on (a restart) or from its start (a new container).
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { LABELS } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { isOneShot } from '../model/service-facts.js';
import { stackFilter } from './containers.js';
import type { StackContainer } from './container-state.js';
import { demux, logRequest, sortKey, splitters, type LogLine, type LogOptions } from './container-logs.js';
import { sleep as pause } from '../sleep.js';

/** How often a detached follower looks for its service's container again. */
const POLL_MS = 250;
/** A wait shorter than this (a restart) gets no "waiting" note. */
const NOTE_WAIT_AFTER_MS = 2_000;

interface Current {
  id: string;
  name: string;
  running: boolean;
  /** When its current run started: a restart keeps the id and changes this. */
  startedAt: string;
}

/** The instance's container (the newest, should there be several), or undefined. */
async function current(docker: Dockerode, c: ClusterConfig, target: Target): Promise<Current | undefined> {
  const filter = stackFilter(c);
  const found = (
    await docker.listContainers({
      all: true,
      filters: { label: [...filter.label, `${LABELS.service}=${target.service}`] },
    })
  ).filter((x) => (x.Labels?.[LABELS.instance] ?? target.service) === target.instance);
  const newest = found.sort((a, b) => b.Created - a.Created)[0];
  if (!newest) return undefined;
  const info = await docker
    .getContainer(newest.Id)
    .inspect()
    .catch(() => undefined); // removed in between: none for now
  if (!info) return undefined;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    running: info.State.Running,
    startedAt: info.State.StartedAt,
  };
}

/** Streams one container's log until it ends or follow is aborted; returns the time of the last line seen. */
async function stream(
  docker: Dockerode,
  target: Current,
  followed: Target,
  request: Dockerode.ContainerLogsOptions,
  after: string | undefined,
  options: LogOptions,
  onLine: (l: LogLine) => void,
): Promise<string | undefined> {
  let last = after;
  const body = (await docker
    .getContainer(target.id)
    .logs({ ...request, follow: true, abortSignal: options.signal } as Dockerode.ContainerLogsOptions & {
      follow: true;
    })
    .catch((error: unknown) => {
      const status = (error as { statusCode?: number }).statusCode;
      // aborted, or the container went (404) or is being removed (409): the caller looks again
      if (options.signal?.aborted || status === 404 || status === 409) return undefined;
      throw error;
    })) as Readable | undefined;
  if (!body) return last;
  const sinks = splitters({ ...followed, name: target.name }, (l) => {
    // a re-attach asks from the last second on: lines already shown are skipped
    if (after && l.time && sortKey(l.time) <= sortKey(after)) return;
    last = l.time || last;
    onLine(l);
  });
  demux(docker, body, sinks);
  await new Promise<void>((resolve) => {
    const stop = () => {
      body.destroy();
      resolve();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    body.once('end', resolve).once('close', resolve).once('error', resolve);
  });
  sinks.flush();
  return last;
}

/** A service's one container, or one instance of a service with replicas. */
type Target = Pick<StackContainer, 'service' | 'instance'>;

/** Follows an instance until options.signal aborts (a one-shot job: until its container has exited). */
export async function followService(
  docker: Dockerode,
  c: ClusterConfig,
  target: Target,
  options: LogOptions,
  onLine: (l: LogLine) => void,
): Promise<void> {
  const signal = options.signal;
  let attached: Current | undefined;
  let last: string | undefined;
  let waitingSince: number | undefined; // undefined: noted (or not waiting)
  while (!signal?.aborted) {
    const now = await current(docker, c, target);
    const replaced = now && attached && now.id !== attached.id;
    const restarted = now && attached && now.id === attached.id && now.running && now.startedAt !== attached.startedAt;
    if (now && (!attached || replaced || restarted)) {
      if (replaced)
        options.onNote?.(target.instance, `container replaced (${now.id.slice(0, 12)}); following the new one`);
      else if (restarted) options.onNote?.(target.instance, 'container restarted; following it again');
      // the first attach honours --tail/--since; a new container is read from its start; a restart from the last line on
      const request = !attached ? logRequest(options) : replaced ? logRequest({ services: [] }) : sinceRequest(last);
      last = await stream(docker, now, target, request, replaced ? undefined : last, options, onLine);
      attached = now;
      waitingSince = Date.now();
      if (isOneShot(target.service) && !signal?.aborted) return;
      continue;
    }
    // a restart takes a moment: say so only when the wait is noticeable
    if (waitingSince !== undefined && Date.now() - waitingSince > NOTE_WAIT_AFTER_MS && !signal?.aborted) {
      options.onNote?.(
        target.instance,
        `${now ? 'container is not running' : 'no container'}; waiting for it (Ctrl-C ends)`,
      );
      waitingSince = undefined;
    }
    await pause(POLL_MS, signal);
  }
}

/** Both streams from the second of `time` on (Docker's `since` takes seconds with a fraction). */
function sinceRequest(time: string | undefined): Dockerode.ContainerLogsOptions {
  const request = logRequest({ services: [] });
  if (!time) return request;
  const seconds = Math.floor(Date.parse(time) / 1000);
  return Number.isNaN(seconds) ? request : ({ ...request, since: seconds } as Dockerode.ContainerLogsOptions);
}
