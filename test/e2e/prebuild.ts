// The slow builds of the later stages, done ahead: the test-only provider, the default config's
// stand-in images, and the upgrade suite's older server release and its images. scripts/test-all
// starts this right after the test environment, in the background at the lowest CPU priority, so the
// builds take the CPU the integration and e2e suites leave idle while they wait on containers. Every
// build takes the lock the suites' own calls take (provision.lock, the server version's lock): a suite
// that gets there first waits for the build, then finds it done. A failure here fails nothing: the
// suite that needs the build runs it again and reports it.
//   node dist/test/e2e/prebuild.js      (logs one line per build; exit 1 when one failed)
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { cliEnv } from '../support/cli.js';
import { requireTestEnv, TEST_ENV_DIR } from '../support/env.js';
import { buildImages, buildProvider, writeEnvFile } from './provision.js';
import { upgradeReleases } from './upgrade-releases.js';

const run = promisify(execFile);

/** The go-built server and tools of release `version` (scripts/test-env's own step, under its lock). */
const serverBinaries = (version: string) =>
  run('bash', [join(PROJECT_ROOT, 'scripts', 'test-env'), '_run', 'ensure_server_binaries', version], {
    maxBuffer: 64 << 20,
  });

async function main(): Promise<number> {
  const env = requireTestEnv();
  if (!env.docker) throw new Error('the test environment has no Docker engine: run `bash scripts/test-env up`');
  const provisioningEnv = { ...cliEnv(), DOCKER_HOST: env.docker.host };
  const envFile = await writeEnvFile(join(TEST_ENV_DIR, 'prebuild'), env);
  const { from } = upgradeReleases();
  /** The run's env file at another release (a later line wins), as the upgrade suite writes it. */
  const releaseFile = async (version: string) => {
    const file = join(TEST_ENV_DIR, 'prebuild', `release-${version}.env`);
    await writeFile(file, `${await readFile(envFile, 'utf8')}TEMPORAL_VERSION=${version}\n`);
    return file;
  };
  // In the order the suites need them: the provider (integration), the default images (integration,
  // every e2e file), then the upgrade suite's older release, the e2e run's last file.
  const builds: [string, () => Promise<unknown>][] = [
    ['provider', () => buildProvider(envFile, provisioningEnv)],
    ['stand-in images', () => buildImages(envFile, provisioningEnv)],
    [`server ${from}`, () => serverBinaries(from)],
    [`stand-in images of ${from}`, async () => buildImages(await releaseFile(from), provisioningEnv)],
  ];
  let failed = 0;
  for (const [name, build] of builds) {
    const started = Date.now();
    try {
      await build();
      console.log(`[prebuild] ${name}: ${((Date.now() - started) / 1000).toFixed(0)}s`);
    } catch (error) {
      failed++;
      console.log(`[prebuild] ${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(0)}s: ${String(error)}`);
    }
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
