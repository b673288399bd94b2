// A TCP connect that fails fast on a closed port, so probes of a stopped service
// answer in milliseconds instead of waiting for their protocol's retry deadline.
import { connect } from 'node:net';

/** Resolves when host:port accepts a connection; rejects with `refusedMessage` when refused. */
export function tcpReachable(host: string, port: number, signal: AbortSignal, refusedMessage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const done = (error?: Error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? new Error(refusedMessage) : e));
  });
}
