// A deadline on every call to the Docker engine. An engine that accepts connections and never
// answers (hung dockerd, a stuck ssh dial-stdio, a proxy in front of a dead engine) would otherwise
// keep a request, and the process, waiting forever. Every dockerode call goes through
// modem.dial, so wrapping it here covers all of them at once.
//
// Why not docker-modem's own `timeout`: it is an idle-socket timeout, which also cuts a quiet
// `logs --follow` stream and a `stop` waiting out its grace period. The deadline here covers the
// wait for the engine's answer (the response headers): a streamed body may then idle for as long
// as it likes, a stop or restart gets its grace period on top, and an upload's clock restarts with
// every chunk the engine takes (a stuck engine stops taking them) and once more when it is sent.
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { formatDuration } from '../config/duration.js';
import { OperationError } from '../errors.js';

export interface Deadline {
  readonly ms: number;
  /** The config key that sets it (the fix a message names). */
  readonly key: string;
}

/** What docker-modem's dial receives from dockerode (the parts the deadline reads). */
interface DialOptions {
  path?: string;
  options?: { t?: number | string };
  file?: string | Readable;
  abortSignal?: AbortSignal;
}
type DialCallback = (error: unknown, data?: unknown) => void;
interface Modem {
  dial(options: DialOptions, callback: DialCallback): void;
}

/** The one sentence a call that ran out of time ends with. */
export function engineTimeoutError(host: string, deadline: Deadline): OperationError {
  return new OperationError(
    `Docker engine at ${host} (DOCKER_HOST) did not answer within ${formatDuration(deadline.ms)}: check it with \`docker info\` and restart it if that hangs too, or raise ${deadline.key} for a slow engine`,
  );
}

/** Extra time a call may legitimately take: a stop or restart waits up to `t` seconds for the container. */
function graceMs(options: DialOptions): number {
  const t = Number(options.options?.t ?? 0);
  return /\/containers\/[^/]+\/(stop|restart)\?/.test(options.path ?? '') && t > 0 ? t * 1000 : 0;
}

/**
 * Calls waiting on each engine (by host). When one runs out of time the engine is stuck, so the
 * others waiting on it fail with it: a call with a longer deadline (another module's) would
 * otherwise keep the process alive after the command has already reported the engine.
 */
const waiting = new Map<string, Set<(expired: Deadline) => void>>();

function condemn(host: string, expired: Deadline): void {
  for (const fail of [...(waiting.get(host) ?? [])]) fail(expired);
}

/** Makes every call of docker fail with engineTimeoutError when the engine does not answer in time. */
export function applyDeadline(docker: Dockerode, host: string, deadline: Deadline): void {
  const modem = docker.modem as Modem;
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const controller = new AbortController();
    let expired: Deadline | undefined; // the deadline that ran out (this call's or a peer's)
    let timer: NodeJS.Timeout | undefined;
    const fail = (which: Deadline) => {
      expired = which;
      controller.abort();
    };
    // (re)starts the clock: at the call, and for an upload at each chunk the engine takes and at its end
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => condemn(host, deadline), deadline.ms + graceMs(options));
    };
    const peers = waiting.get(host) ?? waiting.set(host, new Set()).get(host)!;
    peers.add(fail);
    const upload = options.file && typeof options.file !== 'string' ? options.file : undefined;
    upload?.on('data', arm).once('end', arm);
    arm();
    const abortSignal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, controller.signal])
      : controller.signal;
    dial({ ...options, abortSignal }, (error, data) => {
      clearTimeout(timer);
      peers.delete(fail);
      upload?.off('data', arm).off('end', arm);
      callback(error && expired ? engineTimeoutError(host, expired) : error, data);
    });
  };
}
