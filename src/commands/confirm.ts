// Confirmation of destructive commands, one rule everywhere: type the name on a terminal,
// or pass --yes; without a terminal --yes is required (a script never hangs on a prompt).
import { createInterface } from 'node:readline';
import { OperationError, UsageError } from '../errors.js';
import type { Output } from '../output.js';

export interface Confirmation {
  /** What is about to happen, as a verb phrase: 'delete namespace "billing" and all its workflows'. */
  action: string;
  /** The text to type. */
  name: string;
  /** What that text is, for the prompt: 'the namespace name', 'the project name'. */
  nameIs: string;
  /** --yes was given. */
  yes: boolean;
  /** What a refusal leaves alone, for its message. @default 'nothing was deleted' */
  untouched?: string;
  /** The hint of the refusal without a terminal. @default - none */
  hint?: string;
}

/** Resolves when confirmed; UsageError (exit 2) without a terminal, OperationError (exit 1) on a mismatch. */
export async function confirmTyped(out: Output, c: Confirmation): Promise<void> {
  if (c.yes) return;
  const input = out.streams.stdin ?? process.stdin;
  if (!input.isTTY) {
    throw new UsageError(`refusing to ${c.action} without confirmation: stdin is not a terminal, so pass --yes`, {
      hint: c.hint,
    });
  }
  const rl = createInterface({ input, output: out.streams.stderr });
  try {
    const question = `${c.action[0]!.toUpperCase()}${c.action.slice(1)}? Type ${c.nameIs} "${c.name}" to confirm: `;
    // The first line is the answer; end of input (Ctrl-D) counts as a refusal, not as a hang.
    const typed = (
      await new Promise<string>((resolve) => {
        rl.once('line', resolve);
        rl.once('close', () => resolve(''));
        rl.setPrompt(question);
        rl.prompt();
      })
    ).trim();
    if (typed !== c.name)
      throw new OperationError(`"${typed}" does not match "${c.name}": ${c.untouched ?? 'nothing was deleted'}`);
  } finally {
    rl.close();
  }
}
