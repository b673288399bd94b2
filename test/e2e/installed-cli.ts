// The temporal-ctl the end-to-end run drives, as a user gets it: this checkout packed with
// `npm pack` and installed with `npm install -g --prefix` (see packAndInstall). TEMPORAL_CTL_BIN names a
// binary instead (no packing); E2E_PACK=0 uses the checkout's bin/temporal-ctl (faster to iterate).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { CHECKOUT_BIN, ctlBinary } from '../support/cli.js';

const run = promisify(execFile);

export interface CliUnderTest {
  /** The executable to spawn. */
  bin: string;
  /** The installed package's directory (where its dist/ and temporal-config/ are). */
  packageRoot: string;
  how: 'packed and installed globally' | 'TEMPORAL_CTL_BIN' | 'checkout';
  /** Milliseconds of `npm pack` and of `npm install -g`, when this run did them (no install: an earlier file's reused). */
  packMs?: number;
  installMs?: number;
}

/** bin/temporal-ctl lives at the package root's bin/: <root>/bin/temporal-ctl, through any symlink. */
export const packageRootOf = (bin: string): string => dirname(dirname(realpathSync(bin)));

async function npm(args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  try {
    await run('npm', args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    // Both streams: npm pack's prepare step (tsc) reports compile errors on stdout.
    const e = error as { code?: number; stdout?: string; stderr?: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trimEnd().split('\n').slice(-15).join('\n');
    throw new Error(`npm ${args.join(' ')} failed (exit ${e.code}):\n${output}`);
  }
  return Math.round(performance.now() - started);
}

/**
 * Packs the checkout into <tmp> and installs the tarball globally, once per tarball: npm pack writes
 * fixed timestamps, so the same checkout packs to the same bytes, and the next e2e file (its own
 * process) reuses the install named by the tarball's hash instead of spending ~10 s installing again.
 */
export async function packAndInstall(tmp: string): Promise<CliUnderTest> {
  const packMs = await npm(['pack', '--pack-destination', tmp, '--silent'], PROJECT_ROOT);
  const tgz = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack wrote no .tgz into ${tmp}`);
  const digest = createHash('sha256')
    .update(await readFile(join(tmp, tgz)))
    .digest('hex')
    .slice(0, 16);
  const prefix = join(INSTALLS, digest);
  const bin = join(prefix, 'bin', 'temporal-ctl');
  if (existsSync(bin)) {
    const now = new Date();
    await utimes(prefix, now, now); // in use: not stale for another day
    return { bin, packageRoot: packageRootOf(bin), how: 'packed and installed globally', packMs };
  }
  await mkdir(INSTALLS, { recursive: true });
  await removeStaleInstalls();
  // Installed beside, then renamed: a concurrent run of the same checkout never sees half an install.
  const staging = `${prefix}.${process.pid}`;
  const installMs = await npm(
    ['install', '-g', '--prefix', staging, '--prefer-offline', '--no-audit', '--no-fund', join(tmp, tgz)],
    tmp,
  );
  await rename(staging, prefix).catch(() => rm(staging, { recursive: true, force: true })); // the other run won
  return { bin, packageRoot: packageRootOf(bin), how: 'packed and installed globally', packMs, installMs };
}

/** Where the installs live, outside any one run's directory. */
const INSTALLS = join(tmpdir(), 'temporal-ctl-e2e-cli');

/** Installs of other trees not used for a day (a run of theirs in progress keeps its own). */
async function removeStaleInstalls(): Promise<void> {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of await readdir(INSTALLS)) {
    const path = join(INSTALLS, name);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < dayAgo) await rm(path, { recursive: true, force: true });
  }
}

/** The CLI this run drives (see the header). */
export async function cliUnderTest(tmp: string): Promise<CliUnderTest> {
  if (process.env.TEMPORAL_CTL_BIN) {
    const bin = ctlBinary();
    return { bin, packageRoot: packageRootOf(bin), how: 'TEMPORAL_CTL_BIN' };
  }
  if (process.env.E2E_PACK === '0') return { bin: CHECKOUT_BIN, packageRoot: PROJECT_ROOT, how: 'checkout' };
  return packAndInstall(tmp);
}
