// `temporal-ctl logs`: the services' log lines with a service prefix, or JSON Lines with -o json.
import type { Context } from './context.js';
import { stackName } from '../model/names-and-endpoints.js';
import { OperationError } from '../errors.js';
import type { Output } from '../output.js';
import type { Call } from './spec.js';
import { parseServices } from './service-args.js';

interface LogsFlags {
  follow?: boolean;
  tail?: number;
  since?: number;
}

/** Lines of each service until done, or with --follow until Ctrl-C (exit 0). */
export async function logs({ ctx, args, flags }: Call<{ service: string[] }, LogsFlags>): Promise<undefined> {
  await showLogs(ctx, parseServices(args.service), flags);
  return undefined;
}

async function showLogs(ctx: Context, services: string[], flags: LogsFlags): Promise<void> {
  const config = ctx.config;
  const { readLogs, isChosen } = await import('../docker/container-logs.js');
  const { logRecord } = await import('../docker/log-record.js');
  const { listStackContainers } = await import('../docker/containers.js');
  const present = (await listStackContainers(config, ctx.env)).filter((s) => isChosen(s, services));
  if (present.length === 0) {
    const which = services.length ? services.join(', ') : 'any service';
    throw new OperationError(
      `no container of ${which} exists in stack ${stackName(config)}: run \`temporal-ctl start\` first`,
    );
  }
  const prefix = prefixer(
    ctx.out,
    present.map((s) => s.instance),
  );
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  if (flags.follow) process.once('SIGINT', onSigint); // Ctrl-C ends follow mode cleanly, exit 0
  try {
    await readLogs(
      config,
      {
        services: present.map((s) => s.instance),
        tail: flags.tail,
        sinceMs: flags.since,
        follow: flags.follow,
        signal: controller.signal,
        // on stderr, so stdout holds only the services' own lines
        onNote: (service, text) => ctx.out.info(`${prefix(service)}${ctx.out.dim(`[temporal-ctl] ${text}`)}`),
      },
      // JSON records are compact, one per line (JSON Lines), whatever Output.json does for documents
      ctx.json
        ? (l) => ctx.out.line(JSON.stringify(logRecord(l)))
        : (l) => ctx.out.line(`${prefix(l.instance)}${l.text}`),
      ctx.env,
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
    controller.abort(); // one service's failure ends the other services' streams too (nothing keeps the process)
  }
}

const PALETTE = ['cyan', 'green', 'magenta', 'yellow', 'blue', 'red'] as const;

/** "server      | " in a colour per instance (plain without colour). */
function prefixer(out: Output, services: string[]): (s: string) => string {
  const width = Math.max(...services.map((s) => s.length));
  const order = [...new Set(services)];
  return (s) => out.color[PALETTE[order.indexOf(s) % PALETTE.length]!](`${s.padEnd(width)} | `);
}
