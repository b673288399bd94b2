// `temporal-ctl completion bash|zsh|fish`: a completion script generated from the command tree.
import { Argument, type Command } from 'commander';
import type { Context } from '../cli/context.js';
import { SERVICES, SERVICE_ALIASES } from '../model/service-facts.js';
import { completionModel } from '../completion/command-tree.js';
import { bashScript, zshScript } from '../completion/posix.js';
import { fishScript } from '../completion/fish.js';
import { example } from './help.js';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

/** The script for a shell, for the whole program `cmd` belongs to. */
export function completionScript(shell: keyof typeof SHELLS, cmd: Command): string {
  let program = cmd;
  while (program.parent) program = program.parent;
  // Arguments named <service> (logs, restart) complete to the names parseServices accepts.
  const nodes = completionModel(program, {
    argumentValues: { service: [...SERVICES, ...Object.keys(SERVICE_ALIASES)] },
  });
  return SHELLS[shell](nodes);
}

export function registerCompletion(program: Command, ctx: Context): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, service names) for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(Object.keys(SHELLS)))
    .addHelpText(
      'after',
      example(
        'source <(temporal-ctl completion bash)     # in ~/.bashrc',
        'source <(temporal-ctl completion zsh)      # in ~/.zshrc, after compinit',
        'temporal-ctl completion fish > ~/.config/fish/completions/temporal-ctl.fish',
      ),
    )
    .action((shell: keyof typeof SHELLS, _opts: object, cmd: Command) => {
      ctx.out.streams.stdout.write(completionScript(shell, cmd));
    });
}
