// Free loopback ports for the tests, from scripts/lib/free-ports.mjs (the test environment's own
// picker): below the ephemeral range, so no outgoing connection takes one before a cluster binds it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/installed-package.js';

interface FreePorts {
  pickFreePorts(n: number, exclude?: number[], claimed?: boolean): Promise<number[]>;
}

const PICKER = pathToFileURL(join(PROJECT_ROOT, 'scripts', 'lib', 'free-ports.mjs')).href;

/** N distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const picker = (await import(PICKER)) as FreePorts;
  return picker.pickFreePorts(n, [], true); // claimed: e2e files run side by side
}

/** One free port. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}
