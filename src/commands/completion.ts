// `temporal-ctl completion bash|zsh|fish`: a completion script generated from the command tree.
import type { Command } from 'commander';
import { completionModel } from '../completion/command-tree.js';
import { bashScript, zshScript } from '../completion/posix.js';
import { fishScript } from '../completion/fish.js';
import type { Call, CommandResult } from './spec.js';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SHELLS;

/** The script for a shell, for the whole program. */
export function completionScript(shell: Shell, program: Command, argumentValues: Record<string, readonly string[]>) {
  return SHELLS[shell](completionModel(program, { argumentValues }));
}

export async function completion({ args: { shell }, program }: Call<{ shell: Shell }>): Promise<CommandResult> {
  const { commands } = await import('./table.js');
  // Arguments with completions declared (service names for logs and restart) complete to those words.
  const argumentValues = Object.fromEntries(
    commands.flatMap((c) => c.args ?? []).flatMap((a) => (a.completions ? [[a.name, a.completions]] : [])),
  );
  const script = completionScript(shell, program as Command, argumentValues);
  // The text is the script exactly as the shell sources it, without an added newline.
  return { document: { shell, script }, text: (out) => void out.streams.stdout.write(script) };
}
