// A TCP gate in front of a real service: closed (connections refused) until
// open() is called, then it forwards to the target. It makes "the service becomes
// healthy at a known moment" exact for the detection-lag benchmark.
import { createServer, connect, type Server } from 'node:net';

export class TcpGate {
  private server?: Server;
  openedAt?: number;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(this.port, '127.0.0.1', () => {
        this.openedAt = performance.now();
        resolve();
      }),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A free loopback port (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * A TCP proxy that delays every chunk by `delayMs` in each direction, in order: loopback
 * services answer in microseconds, so this shows how status behaves at network distance
 * (a remote Docker host), where waiting, not CPU, dominates.
 */
export class LatencyProxy {
  private server?: Server;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    private readonly delayMs: number,
  ) {}

  start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.forward(client, upstream);
      this.forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
  }

  /** Each chunk (and the end) leaves delayMs after it arrived; timers of equal delay fire in order. */
  private forward(from: NodeJS.ReadableStream, to: NodeJS.WritableStream & { destroyed?: boolean }): void {
    from.on('data', (chunk: Buffer) =>
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, this.delayMs),
    );
    from.on('end', () =>
      setTimeout(() => {
        if (!to.destroyed) to.end();
      }, this.delayMs),
    );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
