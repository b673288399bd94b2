// Logs of the stack's containers: demultiplexed (stdout/stderr), split into lines,
// merged by timestamp (one-shot) or in arrival order (follow, per service: follow.ts).
// On a swarm, a service's tasks are read through the service's log (swarm-logs.ts).
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ServiceName } from '../model/services.js';
import type { ClusterConfig } from '../config/schema.js';
import { withStackDocker, type Env } from './client.js';
import { listWith } from './containers.js';
import { followService } from './follow.js';
import type { StackContainer } from './container-state.js';
import { followSwarmService, serviceLogLines, type SwarmLogTarget } from './swarm-logs.js';
import { isOneShot } from '../model/service-facts.js';
import { swarmTarget } from '../model/swarm-placement.js';

export interface LogLine {
  service: ServiceName;
  /** The service's name, or `<service>-<n>` for one of its instances. */
  instance: string;
  container: string;
  stream: 'stdout' | 'stderr';
  /** Docker's RFC 3339 timestamp of the line. */
  time: string;
  text: string;
}

export interface LogOptions {
  /** Services (every instance) or instances (`history-2`) to show; all containers of the stack when empty. */
  services: readonly string[];
  tail?: number;
  /** Only lines newer than this many milliseconds ago. */
  sinceMs?: number;
  follow?: boolean;
  /** Aborting ends follow mode cleanly (streams destroyed, promise resolves). */
  signal?: AbortSignal;
  /** Follow mode: a short note when a service's container restarted, was replaced, or is awaited. */
  onNote?: (instance: string, text: string) => void;
}

/**
 * Calls onLine for every log line; resolves when done (or when follow is aborted). Returns the rows
 * read: on a swarm a task's row is read through its service's log (swarm-logs.ts), which the manager
 * gathers from every node, as the task's container may run on a node whose engine is not the one reached.
 */
export async function readLogs(
  c: ClusterConfig,
  options: LogOptions,
  onLine: (line: LogLine) => void,
  env: Env = process.env,
): Promise<StackContainer[]> {
  return withStackDocker(c, env, async (docker) => {
    const all = await listWith(docker, c);
    const chosen = all.filter((s) => isChosen(s, options.services));
    // the one-shot jobs are containers on the manager, read as on one host
    const swarm = swarmTarget(c);
    const containers = swarm ? chosen.filter((s) => isOneShot(s.service)) : chosen;
    const services = swarm ? swarmServices(chosen.filter((s) => !isOneShot(s.service))) : [];
    if (!options.follow) {
      const lines = (
        await Promise.all([
          ...containers.map((s) => oneShot(docker, s, options)),
          ...services.map((t) => serviceLogLines(docker, c, t, options)),
        ])
      ).flat();
      lines.sort((a, b) => (sortKey(a.time) < sortKey(b.time) ? -1 : sortKey(a.time) > sortKey(b.time) ? 1 : 0));
      lines.forEach(onLine);
    } else {
      await Promise.all([
        ...containers.map((s) => followService(docker, c, s, options, onLine)),
        ...services.map((t) => followSwarmService(docker, c, t, options, onLine)),
      ]);
    }
    return chosen;
  });
}

/** One read per swarm service, however many of its tasks were chosen; notes go under its first chosen instance. */
function swarmServices(rows: readonly StackContainer[]): SwarmLogTarget[] {
  const first = new Map<ServiceName, string>();
  for (const s of rows) if (!first.has(s.service)) first.set(s.service, s.instance);
  return [...first].map(([service, noteAs]) => ({ service, noteAs }));
}

/** Whether a container is among the named services or instances (all when none are named). */
export const isChosen = (s: Pick<StackContainer, 'service' | 'instance'>, names: readonly string[]): boolean =>
  names.length === 0 || names.includes(s.service) || names.includes(s.instance);

/** The last `count` lines of one service or instance (both streams), oldest first; [] when it has no container. */
export async function lastLogLines(
  c: ClusterConfig,
  service: string,
  count: number,
  env: Env = process.env,
): Promise<string[]> {
  const lines: string[] = [];
  await readLogs(c, { services: [service], tail: count }, (l) => lines.push(l.text), env);
  return lines.slice(-count);
}

export function logRequest(options: LogOptions) {
  return {
    stdout: true,
    stderr: true,
    timestamps: true,
    tail: options.tail ?? 'all',
    since: options.sinceMs === undefined ? undefined : Math.floor((Date.now() - options.sinceMs) / 1000),
  } as Dockerode.ContainerLogsOptions;
}

async function oneShot(docker: Dockerode, s: StackContainer, options: LogOptions): Promise<LogLine[]> {
  const body = await docker.getContainer(s.id).logs({ ...logRequest(options), follow: false });
  const lines: LogLine[] = [];
  const source = Readable.from([Buffer.isBuffer(body) ? body : Buffer.from(String(body))]);
  const sinks = splitters(s, (l) => lines.push(l));
  demux(docker, source, sinks);
  await new Promise<void>((resolve, reject) => source.once('end', resolve).once('error', reject));
  sinks.flush();
  return lines;
}

/** docker-modem's demultiplexer only calls write() on its sinks; TTY containers pass through as stdout. */
export function demux(docker: Dockerode, source: NodeJS.ReadableStream, sinks: ReturnType<typeof lineSinks>): void {
  docker.modem.demuxStream(
    source,
    sinks.stdout as unknown as NodeJS.WritableStream,
    sinks.stderr as unknown as NodeJS.WritableStream,
  );
}

/** Two line-splitting sinks (what demuxStream writes to): each whole line, as Docker wrote it, goes to onRaw. */
export function lineSinks(onRaw: (raw: string, stream: LogLine['stream']) => void) {
  const make = (stream: LogLine['stream']) => {
    let pending = '';
    const emit = (raw: string) => onRaw(raw.replace(/\r$/, ''), stream);
    return {
      write(chunk: Buffer | string): boolean {
        const parts = (pending + chunk.toString()).split('\n');
        pending = parts.pop() ?? '';
        parts.forEach(emit);
        return true;
      },
      flush() {
        if (pending !== '') emit(pending);
        pending = '';
      },
    };
  };
  const stdout = make('stdout');
  const stderr = make('stderr');
  return { stdout, stderr, flush: () => (stdout.flush(), stderr.flush()) };
}

/** A line's leading Docker timestamp (logs asked with timestamps) and the rest; time is '' when it has none. */
export function splitStamp(raw: string): { time: string; rest: string } {
  const space = raw.indexOf(' ');
  const stamped = space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw);
  return stamped ? { time: raw.slice(0, space), rest: raw.slice(space + 1) } : { time: '', rest: raw };
}

/** Line-splitting sinks for one container: every line as a LogLine of it. */
export function splitters(s: Pick<StackContainer, 'service' | 'instance' | 'name'>, onLine: (l: LogLine) => void) {
  return lineSinks((raw, stream) => {
    const { time, rest } = splitStamp(raw);
    onLine({ service: s.service, instance: s.instance, container: s.name, stream, time, text: rest });
  });
}

/** RFC 3339 with the fraction padded to nanoseconds, so timestamps sort as strings. */
export function sortKey(time: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}` : time;
}
