// Logs of the stack's containers: demultiplexed (stdout/stderr), split into lines,
// merged by timestamp (one-shot) or in arrival order (follow, per service: follow.ts).
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ServiceName } from '../model/services.js';
import type { ClusterConfig } from '../config/schema.js';
import { withStackDocker, type Env } from './client.js';
import { listWith } from './containers.js';
import { followService } from './follow.js';
import type { StackContainer } from './container-state.js';

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

/** Calls onLine for every log line; resolves when done (or when follow is aborted). Returns the containers read. */
export async function readLogs(
  c: ClusterConfig,
  options: LogOptions,
  onLine: (line: LogLine) => void,
  env: Env = process.env,
): Promise<StackContainer[]> {
  return withStackDocker(c, env, async (docker) => {
    const all = await listWith(docker, c);
    const chosen = all.filter((s) => isChosen(s, options.services));
    if (!options.follow) {
      const lines = (await Promise.all(chosen.map((s) => oneShot(docker, s, options)))).flat();
      lines.sort((a, b) => (sortKey(a.time) < sortKey(b.time) ? -1 : sortKey(a.time) > sortKey(b.time) ? 1 : 0));
      lines.forEach(onLine);
    } else {
      await Promise.all(chosen.map((s) => followService(docker, c, s, options, onLine)));
    }
    return chosen;
  });
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
export function demux(docker: Dockerode, source: NodeJS.ReadableStream, sinks: ReturnType<typeof splitters>): void {
  docker.modem.demuxStream(
    source,
    sinks.stdout as unknown as NodeJS.WritableStream,
    sinks.stderr as unknown as NodeJS.WritableStream,
  );
}

/** Two line-splitting sinks (what demuxStream writes to) for one container. */
export function splitters(s: Pick<StackContainer, 'service' | 'instance' | 'name'>, onLine: (l: LogLine) => void) {
  const make = (stream: LogLine['stream']) => {
    let pending = '';
    const emit = (raw: string) => {
      const space = raw.indexOf(' ');
      const stamped = space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw);
      onLine({
        service: s.service,
        instance: s.instance,
        container: s.name,
        stream,
        time: stamped ? raw.slice(0, space) : '',
        text: (stamped ? raw.slice(space + 1) : raw).replace(/\r$/, ''),
      });
    };
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

/** RFC 3339 with the fraction padded to nanoseconds, so timestamps sort as strings. */
export function sortKey(time: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}` : time;
}
