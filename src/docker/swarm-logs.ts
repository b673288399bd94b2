// `logs` of a swarm service (TEMPORAL_TARGET=swarm). A task's container runs on whichever node the
// swarm chose, and the manager cannot read another node's containers; it can read a service's log,
// which the swarm gathers from every node's tasks (GET /services/{id}/logs). Asked with details,
// each line names the task it came from, and the task's slot names the instance (`history-2`) the
// way swarm-tasks.ts names the rows, so `logs history-2` keeps one task's lines. Following, the
// service's log goes on across rescheduled tasks: a task id not seen yet is looked up once more.
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ClusterConfig } from '../config/schema.js';
import { containerName } from '../model/names-and-endpoints.js';
import { instanceOf, serviceDecl } from '../model/service-facts.js';
import type { ServiceName } from '../model/services.js';
import { sleep as pause } from '../sleep.js';
import {
  demux,
  isChosen,
  lineSinks,
  logRequest,
  sortKey,
  splitStamp,
  type LogLine,
  type LogOptions,
} from './container-logs.js';
import { stackFilter } from './containers.js';

/** The detail (a log attribute the swarm adds) that names a line's task. */
const TASK_DETAIL = 'com.docker.swarm.task.id';
/** How long a follower waits before it looks for its service's log again (gone, or its stream ended). */
const RETRY_MS = 1_000;
/**
 * How often a follower checks that its service is still the stack's. The log of a removed service
 * neither ends nor gets the lines of a service recreated under its name, so it is ended here.
 */
const WATCH_MS = 2_000;

/** One line of a service's log, as the API writes it with timestamps and details: `<time> <k=v,...> <text>`. */
export interface ServiceLogEntry {
  /** Docker's RFC 3339 timestamp; '' when the line has none. */
  time: string;
  /** The task that wrote it, when the details name one. */
  taskId?: string;
  text: string;
}

/** A swarm service of the stack: its model service and its swarm name (`temporal-history`). */
export interface SwarmLogSource {
  service: ServiceName;
  name: string;
}

/**
 * Splits a service log line into its timestamp, task and text. The details are Docker's log
 * attributes, `key=value` pairs (values query-escaped) joined by commas; a line without any still
 * has the field, empty (hence the double space). Should the field be missing, the line is all text.
 */
export function parseServiceLogLine(raw: string): ServiceLogEntry {
  const { time, rest } = splitStamp(raw);
  const space = rest.indexOf(' ');
  const head = space < 0 ? rest : rest.slice(0, space);
  if (!/^(?:[^\s=,]+=[^\s,]*(?:,[^\s=,]+=[^\s,]*)*)?$/.test(head)) return { time, text: rest };
  const taskId = detailsOf(head).get(TASK_DETAIL);
  return { time, ...(taskId ? { taskId } : {}), text: space < 0 ? '' : rest.slice(space + 1) };
}

function detailsOf(field: string): Map<string, string> {
  const details = new Map<string, string>();
  for (const pair of field.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    details.set(queryUnescape(pair.slice(0, eq)), queryUnescape(pair.slice(eq + 1)));
  }
  return details;
}

/** Go's url.QueryEscape undone; a malformed escape stays as written. */
function queryUnescape(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A parsed line as a LogLine, its instance named by its task's slot (`slots`: task id to slot). */
export function toLogLine(
  entry: ServiceLogEntry,
  stream: LogLine['stream'],
  source: SwarmLogSource,
  slots: ReadonlyMap<string, number>,
): LogLine {
  const slot = entry.taskId === undefined ? undefined : slots.get(entry.taskId);
  return {
    service: source.service,
    instance: instanceName(source.service, slot),
    // as swarm-tasks.ts names a task's row
    container: slot === undefined ? source.name : `${source.name}.${slot}`,
    stream,
    time: entry.time,
    text: entry.text,
  };
}

/**
 * `<service>-<slot>` for a service with replicas, else the service's name (swarm-tasks.ts's rule).
 * A line whose task the swarm no longer lists has no slot: it belongs to the service as a whole.
 */
export function instanceName(service: ServiceName, slot: number | undefined): string {
  return serviceDecl(service).replicas && slot !== undefined ? instanceOf(service, slot).name : service;
}

/** A service to read, and the instance (one the caller shows) that notes about it are made under. */
export interface SwarmLogTarget {
  service: ServiceName;
  noteAs: string;
}

interface ServiceRef {
  id: string;
  name: string;
  /** A TTY task's log is one raw stream, not multiplexed. */
  tty: boolean;
}

/** The stack's swarm service of a model service, by its name (the labels keep other stacks' out). */
async function findService(docker: Dockerode, c: ClusterConfig, service: ServiceName): Promise<ServiceRef | undefined> {
  const name = containerName(c, service);
  // The name filter matches prefixes too (temporal-history-x): the exact name decides.
  const found = (await docker.listServices({ filters: { ...stackFilter(c), name: [name] } })).find(
    (s) => s.Spec?.Name === name,
  );
  const task = found?.Spec?.TaskTemplate as { ContainerSpec?: { TTY?: boolean } } | undefined;
  return found?.ID ? { id: found.ID, name, tty: task?.ContainerSpec?.TTY === true } : undefined;
}

/**
 * A service's task slots by task id. Lines come from the tasks the swarm still keeps (its task
 * history), so all of them are listed, not only the running ones. A task id not in the list is
 * looked up again once (a task started since), and never again if still unknown.
 */
function taskBook(docker: Dockerode, serviceId: string) {
  let slots: Map<string, number> | undefined;
  const unknown = new Set<string>();
  const list = async (): Promise<Map<string, number>> => {
    const tasks = (await docker.listTasks({ filters: { service: [serviceId] } })) as { ID: string; Slot?: number }[];
    return new Map(tasks.map((t) => [t.ID, t.Slot ?? 1])); // no slot: 1, as swarm-tasks.ts counts it
  };
  return {
    /** The slots, listed again when `taskId` is new; `fresh` says whether this call found it by listing again. */
    async lookup(taskId: string | undefined): Promise<{ slots: ReadonlyMap<string, number>; fresh: boolean }> {
      if (slots && (taskId === undefined || slots.has(taskId) || unknown.has(taskId))) return { slots, fresh: false };
      const first = slots === undefined;
      // a failed listing leaves the lines with the names known so far rather than ending the logs
      slots = await list().catch(() => slots ?? new Map<string, number>());
      if (taskId !== undefined && !slots.has(taskId)) unknown.add(taskId);
      return { slots, fresh: !first && taskId !== undefined && slots.has(taskId) };
    },
  };
}

/** A service's lines (the last --tail of each task, or those since --since), in the order the swarm sent them. */
export async function serviceLogLines(
  docker: Dockerode,
  c: ClusterConfig,
  target: SwarmLogTarget,
  options: LogOptions,
): Promise<LogLine[]> {
  const ref = await findService(docker, c, target.service);
  if (!ref) return [];
  const lines: LogLine[] = [];
  await readService(docker, ref, target, { ...logRequest(options), follow: false }, options, (l) => lines.push(l));
  return lines;
}

/** Follows a service's log until options.signal aborts, across rescheduled tasks and a recreated service. */
export async function followSwarmService(
  docker: Dockerode,
  c: ClusterConfig,
  target: SwarmLogTarget,
  options: LogOptions,
  onLine: (l: LogLine) => void,
): Promise<void> {
  const signal = options.signal;
  let attached: string | undefined;
  let last: string | undefined;
  let waitNoted = false;
  while (!signal?.aborted) {
    const ref = await findService(docker, c, target.service);
    if (!ref) {
      if (!waitNoted) options.onNote?.(target.noteAs, 'no swarm service; waiting for it (Ctrl-C ends)');
      waitNoted = true;
      await pause(RETRY_MS, signal);
      continue;
    }
    const replaced = attached !== undefined && ref.id !== attached;
    if (replaced) options.onNote?.(target.noteAs, 'swarm service replaced; following the new one');
    // the first read honours --tail/--since; a new service is read from its start; the same one from the last line on
    const request = !attached ? logRequest(options) : replaced ? logRequest({ services: [] }) : sinceRequest(last);
    const after = attached && !replaced ? last : undefined;
    let latest = replaced ? undefined : last;
    const current = async () => (await findService(docker, c, target.service))?.id === ref.id;
    const show = (l: LogLine) => {
      // reading again from the last second on: lines already shown are skipped
      if (after && l.time && sortKey(l.time) <= sortKey(after)) return;
      latest = l.time || latest;
      onLine(l);
    };
    await readService(docker, ref, target, { ...request, follow: true }, options, show, current);
    last = latest;
    attached = ref.id;
    waitNoted = false;
    await pause(RETRY_MS, signal); // a log that ends at once is not asked for again in a busy loop
  }
}

/** Both streams from the second of `time` on (Docker's `since` takes seconds). */
function sinceRequest(time: string | undefined): Dockerode.ContainerLogsOptions {
  const request = logRequest({ services: [] });
  const seconds = time ? Math.floor(Date.parse(time) / 1000) : Number.NaN;
  return Number.isNaN(seconds) ? request : ({ ...request, since: seconds } as Dockerode.ContainerLogsOptions);
}

/**
 * Reads one service's log to its end (or until follow is aborted, or `current` says the service is
 * no longer the stack's), passing on the chosen lines in arrival order.
 */
async function readService(
  docker: Dockerode,
  ref: ServiceRef,
  target: SwarmLogTarget,
  request: Dockerode.ContainerLogsOptions,
  options: LogOptions,
  onLine: (l: LogLine) => void,
  current?: () => Promise<boolean>,
): Promise<void> {
  const gone = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, gone.signal]) : gone.signal;
  try {
    if (current) void watch(current, signal, () => gone.abort());
    await readBody({ docker, ref, target, request, options: { ...options, signal }, onLine });
  } finally {
    gone.abort(); // ends the watch
  }
}

/** Calls onGone once `current` says no (a failed check says nothing), until `signal` aborts. */
async function watch(current: () => Promise<boolean>, signal: AbortSignal, onGone: () => void): Promise<void> {
  while (!signal.aborted) {
    await pause(WATCH_MS, signal);
    if (!signal.aborted && !(await current().catch(() => true))) onGone();
  }
}

/** One read of a service's log: where from, what to ask, and where the chosen lines go. */
interface BodyRead {
  readonly docker: Dockerode;
  readonly ref: ServiceRef;
  readonly target: SwarmLogTarget;
  readonly request: Dockerode.ContainerLogsOptions;
  readonly options: LogOptions;
  readonly onLine: (l: LogLine) => void;
}

async function readBody({ docker, ref, target, request, options, onLine }: BodyRead): Promise<void> {
  const body = await docker
    .getService(ref.id)
    .logs({ ...request, details: true, abortSignal: options.signal } as Dockerode.ContainerLogsOptions)
    .catch((error: unknown) => {
      // aborted, or the service went (404): none to read (a follower looks for it again)
      if (options.signal?.aborted || (error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    });
  if (!body) return;
  const source: NodeJS.ReadableStream = Buffer.isBuffer(body)
    ? Readable.from([body])
    : typeof (body as { pipe?: unknown }).pipe === 'function'
      ? body
      : Readable.from([Buffer.from(String(body))]);
  const tasks = taskBook(docker, ref.id);
  const owner = { service: target.service, name: ref.name };
  // A new task is looked up before its line is passed on, so lines queue to keep their order.
  let queue = Promise.resolve();
  const sinks = lineSinks((raw, stream) => {
    queue = queue.then(async () => {
      const entry = parseServiceLogLine(raw);
      const { slots, fresh } = await tasks.lookup(entry.taskId);
      const line = toLogLine(entry, stream, owner, slots);
      // the rows' rule (options.services names services or instances), so `logs history-2` is one task's lines
      if (!isChosen(line, options.services)) return;
      if (fresh && request.follow && entry.taskId)
        options.onNote?.(
          line.instance,
          `new task ${entry.taskId.slice(0, 12)} (rescheduled or restarted); following it`,
        );
      onLine(line);
    });
  });
  if (ref.tty) source.on('data', (chunk: Buffer) => sinks.stdout.write(chunk));
  else demux(docker, source, sinks);
  await ended(source, options.signal);
  sinks.flush();
  await queue;
}

/** Resolves when the stream ends, fails or closes, or when `signal` aborts (the stream is destroyed then). */
function ended(source: NodeJS.ReadableStream, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const stop = () => {
      (source as Readable).destroy?.();
      done();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    source.once('end', done).once('close', done).once('error', done);
  });
}
