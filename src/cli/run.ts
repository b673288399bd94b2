// The CLI entry: builds the commander program, runs it, and turns every outcome
// into an exit code. The only place that catches errors.
import { Command, CommanderError } from 'commander';
import { Context, type GlobalOptions } from '../commands/context.js';
import { globalOptions } from '../commands/options.js';
import { commands, groups } from '../commands/table.js';
import { PACKAGE_VERSION } from '../installed-package.js';
import { CtlError } from '../errors.js';
import { Output, type Streams } from '../output.js';
import { exampleBlock, registerTable, toOption } from './register.js';

/** The program's description, in help and in the reference index. */
export const PROGRAM_SUMMARY = 'Run a self-hosted Temporal cluster on Docker: deploy, check, operate.';
/** The examples the program's own help ends with. */
export const PROGRAM_EXAMPLES = [
  'temporal-ctl start',
  'temporal-ctl status --output json',
  'temporal-ctl help namespace',
];

/**
 * The whole command tree, for help, completion and the reference pages; actions use `ctx`.
 * `settings` configures the program before the commands are added, which inherit it.
 */
export function buildProgram(ctx: () => Context, settings: (program: Command) => void = () => {}): Command {
  const program = new Command('temporal-ctl')
    .description(PROGRAM_SUMMARY)
    .version(PACKAGE_VERSION, '--version', 'print the version');
  for (const o of globalOptions) program.addOption(toOption(o));
  program.configureHelp({ showGlobalOptions: true }).addHelpText('after', exampleBlock(PROGRAM_EXAMPLES));
  settings(program);
  registerTable(program, { commands, groups }, ctx);
  return program;
}

export interface RunOptions {
  streams?: Streams;
  env?: Record<string, string | undefined>;
}

/** Runs temporal-ctl with argv (without node and script) and resolves to the exit code. */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const streams = options.streams ?? { stdout: process.stdout, stderr: process.stderr };
  const out = new Output(streams, 'auto', env);
  // The global options as commander parsed them; also after a parse error (what was parsed so far).
  const globals = () => program.opts<GlobalOptions>();
  const ctx = new Context(out, globals, env);
  const applyColor = () => out.setColorMode(globals().color ?? 'auto');
  const program = buildProgram(
    () => ctx,
    (p) =>
      p
        .showHelpAfterError('(run with --help for usage)')
        .configureOutput({
          writeOut: (s) => streams.stdout.write(s),
          writeErr: (s) => streams.stderr.write(s),
          outputError: (s, write) => {
            applyColor();
            write(out.color.red(s));
          },
        })
        .hook('preSubcommand', applyColor)
        .exitOverride(),
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    applyColor();
    return report(error, out, globals());
  }
}

function report(error: unknown, out: Output, globals: GlobalOptions): number {
  const json = globals.output === 'json';
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error (commander printed it).
    if (error.exitCode === 0) return 0;
    const message =
      error.code === 'commander.help' ? 'a subcommand is required' : error.message.replace(/^error: /, '');
    if (json) out.json({ error: { kind: 'UsageError', message, hint: 'run with --help for usage', exitCode: 2 } });
    return 2;
  }
  if (error instanceof CtlError) {
    if (json)
      out.json({
        error: { kind: error.name, message: error.message, hint: error.hint ?? null, exitCode: error.exitCode },
      });
    out.error(error.message);
    if (error.hint) out.info(`  ${out.dim('hint:')} ${error.hint}`);
    if (globals.verbose && error.stack) out.info(out.dim(error.stack));
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  if (json) out.json({ error: { kind: 'InternalError', message: e.message, hint: null, exitCode: 1 } });
  out.error(`internal error: ${e.message}`);
  out.info(e.stack ?? '');
  out.info('This is a bug in temporal-ctl; please report it with the output above.');
  return 1;
}
