// The CLI entry: builds the commander program, runs it, and turns every outcome
// into an exit code. The only place that catches errors.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CtlError } from '../errors.js';
import { Output, type ColorMode, type Streams } from '../output.js';
import { Context, type GlobalOptions } from './context.js';
import { registerCommands } from '../commands/index.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunOptions {
  streams?: Streams;
  env?: Record<string, string | undefined>;
}

/** Runs temporal-ctl with argv (without node and script) and resolves to the exit code. */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const streams = options.streams ?? { stdout: process.stdout, stderr: process.stderr };
  const out = new Output(streams, colorMode(argv, env), env);
  const program = new Command('temporal-ctl');
  const ctx = new Context(out, () => program.opts<GlobalOptions>(), env);

  program
    .description('Run a self-hosted Temporal cluster on Docker: deploy, check, operate.')
    .version(VERSION, '--version', 'print the version')
    .option('--env-file <path>', 'config file in dotenv syntax (default: ./temporal.env)')
    .option('--profile <name>', 'development or production (TEMPORAL_PROFILE)')
    .option('-v, --verbose', 'show stack traces and external commands')
    .addOption(new Option('--color <mode>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
      outputError: (s, write) => write(out.color.red(s)),
    })
    .exitOverride();
  registerCommands(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return report(error, out, argv, ctx.verbose || argv.includes('--verbose') || argv.includes('-v'));
  }
}

function report(error: unknown, out: Output, argv: string[], verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  const json = argv.includes('--json');
  if (error instanceof CtlError) {
    if (json) out.json({ error: { kind: error.name, message: error.message, hint: error.hint ?? null, exitCode: error.exitCode } });
    out.error(error.message);
    if (error.hint) out.info(`  ${out.dim('hint:')} ${error.hint}`);
    if (verbose && error.stack) out.info(out.dim(error.stack));
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  if (json) out.json({ error: { kind: 'InternalError', message: e.message, hint: null, exitCode: 1 } });
  out.error(`internal error: ${e.message}`);
  out.info(e.stack ?? '');
  out.info('This is a bug in temporal-ctl; please report it with the output above.');
  return 1;
}

function colorMode(argv: string[], env: Record<string, string | undefined>): ColorMode {
  const i = argv.findIndex((a) => a === '--color' || a.startsWith('--color='));
  const value = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  if (value === 'always' || value === 'never') return value;
  return env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? 'always' : 'auto';
}
