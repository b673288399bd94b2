// Confirmation for destructive commands: type the name on a terminal, or pass --yes.
import { createInterface } from 'node:readline/promises';
import { OperationError, UsageError } from '../errors.js';
import type { Output } from '../output.js';

export async function confirmByName(out: Output, name: string, input: NodeJS.ReadStream = process.stdin): Promise<void> {
  if (!input.isTTY) {
    throw new UsageError(`refusing to delete namespace "${name}" without confirmation; stdin is not a terminal, so pass --yes`);
  }
  const rl = createInterface({ input, output: out.streams.stderr });
  try {
    const typed = await rl.question(`Delete namespace "${name}" and all its workflows? Type the name to confirm: `);
    if (typed.trim() !== name) throw new OperationError(`"${typed.trim()}" does not match "${name}"; nothing was deleted`);
  } finally {
    rl.close();
  }
}
