// The state directory holds passwords (the Terraform state, the synthesized stack, plan files): what
// temporal-ctl and its terraform write there is for the owner only, files 600 and directories 700.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Group and other lose every permission. */
const PRIVATE = 0o077;

/**
 * Runs fn with umask 077, so files it (or a program it spawns: the child inherits the umask at spawn)
 * creates are the owner's alone. Only for synchronous work: the umask is the whole process's.
 */
export function withPrivateUmask<T>(fn: () => T): T {
  const before = process.umask(PRIVATE);
  try {
    return fn();
  } finally {
    process.umask(before);
  }
}

/**
 * Takes group and other permissions off everything under dir: what the umask did not cover, i.e.
 * terraform's provider lock file (terraform writes it 644 itself), the state directory's .gitignore,
 * and the state a `cdktf deploy` from a checkout wrote (stacks/main.ts: the same state file).
 */
export function privateTree(dir: string): void {
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink()) return;
  if (stat.mode & PRIVATE) chmodSync(dir, stat.mode & 0o700);
  if (!stat.isDirectory()) return;
  for (const name of readdirSync(dir)) privateTree(join(dir, name));
}
