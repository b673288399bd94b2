// `temporal-ctl logs [service...] [--follow] [--tail N] [--since 10m]`
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { stackName } from '../model/names-and-endpoints.js';
import { type ServiceName } from '../model/services.js';
import { OperationError } from '../errors.js';
import type { Output } from '../output.js';
import { example } from './help.js';
import { countFlag, durationFlag } from '../cli/args.js';
import { parseServices } from './service-args.js';

interface LogsFlags {
  follow?: boolean;
  tail?: number;
  since?: number;
}

export function registerLogs(program: Command, ctx: Context): void {
  program
    .command('logs')
    .description(
      'print the logs of one, several or all services, interleaved with a service prefix (-o json: one JSON record per line)',
    )
    .argument('[service...]', 'services (default: all), e.g. server postgresql ui')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C, across restarts and recreations of the containers')
    .option('--tail <lines>', 'only the last N lines of each container', countFlag)
    .option('--since <duration>', 'only lines newer than this, e.g. 10m', durationFlag)
    .addHelpText(
      'after',
      example(
        'temporal-ctl logs server --tail 50',
        'temporal-ctl logs --follow --since 10m',
        'temporal-ctl logs server --follow --output json | jq -c \'select(.fields.level == "error")\'',
      ),
    )
    .action((names: string[], flags: LogsFlags) => showLogs(ctx, parseServices(names), flags));
}

async function showLogs(ctx: Context, services: ServiceName[], flags: LogsFlags): Promise<void> {
  const config = ctx.config;
  const { readLogs } = await import('../docker/container-logs.js');
  const { logRecord } = await import('../docker/log-record.js');
  const { listStackContainers } = await import('../docker/containers.js');
  const present = (await listStackContainers(config, ctx.env)).filter(
    (s) => services.length === 0 || services.includes(s.service),
  );
  if (present.length === 0) {
    const which = services.length ? services.join(', ') : 'any service';
    throw new OperationError(
      `no container of ${which} exists in stack ${stackName(config)}: run \`temporal-ctl start\` first`,
    );
  }
  const prefix = prefixer(
    ctx.out,
    present.map((s) => s.service),
  );
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  if (flags.follow) process.once('SIGINT', onSigint); // Ctrl-C ends follow mode cleanly, exit 0
  try {
    await readLogs(
      config,
      {
        services: present.map((s) => s.service),
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
        : (l) => ctx.out.line(`${prefix(l.service)}${l.text}`),
      ctx.env,
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
    controller.abort(); // one service's failure ends the other services' streams too (nothing keeps the process)
  }
}

const PALETTE = ['cyan', 'green', 'magenta', 'yellow', 'blue', 'red'] as const;

/** "server      | " in a colour per service (plain without colour). */
function prefixer(out: Output, services: ServiceName[]): (s: ServiceName) => string {
  const width = Math.max(...services.map((s) => s.length));
  const order = [...new Set(services)];
  return (s) => out.color[PALETTE[order.indexOf(s) % PALETTE.length]!](`${s.padEnd(width)} | `);
}
