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

export async function completion({ ctx, args: { shell }, program }: Call<{ shell: Shell }>): Promise<CommandResult> {
  const { commands } = await import('./table.js');
  // Arguments with completions declared (service names for logs and restart) complete to those words.
  const argumentValues: Record<string, readonly string[]> = Object.fromEntries(
    commands.flatMap((c) => c.args ?? []).flatMap((a) => (a.completions ? [[a.name, a.completions]] : [])),
  );
  // The instances the config runs now (history-1, history-2 with TEMPORAL_TOPOLOGY=roles), when it loads.
  const instances = await configuredInstances(ctx);
  if (instances.length) argumentValues.service = [...(argumentValues.service ?? []), ...instances];
  const script = completionScript(shell, program as Command, argumentValues);
  // The text is the script exactly as the shell sources it, without an added newline.
  return { document: { shell, script }, text: (out) => void out.streams.stdout.write(script) };
}

/** Names of the instances of services with replicas under the current config; none when it does not load. */
async function configuredInstances(ctx: Call['ctx']): Promise<string[]> {
  try {
    const { enabledInstances } = await import('../model/service-facts.js');
    return enabledInstances(ctx.config)
      .filter((i) => i.ordinal !== undefined)
      .map((i) => i.name);
  } catch {
    return []; // completion works without a valid config: the service names still complete
  }
}
