// The installed temporal-ctl package: where it lives and its version. Every layer may need these
// (the stack reads temporal-config/ from it, the service model the dynamic config file), so they
// sit at the bottom rather than with the config loader.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package (holds temporal-config/'s defaults and the compiled code); never state. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** temporal-ctl's own version (package.json): `--version`, and part of what `start` fingerprints. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
