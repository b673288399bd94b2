// What the end-to-end run needs before the CLI runs: the run's temporal.env (a project name of its
// own, free ports), the local stand-in images and the test-only provider mirror. The builds stay in
// bash (scripts/build-e2e-images, scripts/build-e2e-provider); this module only calls them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { TestEnv } from '../support/env.js';
import { freePortKeys } from '../integration/docker-fixture.js';

const run = promisify(execFile);
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'temporal-ctl');

/**
 * The project name on the Docker engine: unique per checkout, since the engine is shared with
 * other checkouts' runs (their cleanup removes only their own project, by label, and so does ours).
 */
export const E2E_PROJECT = `tctl-e2e-${createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 6)}`;
/** Where the stand-in images are tagged; shared by every checkout (same content, built once). */
export const E2E_REGISTRY = 'localhost/tctl-e2e';

/** The Web UI version the test environment built (it may stand in for the configured one). */
export function uiVersion(env: TestEnv): string | undefined {
  if (env.ui?.version) return env.ui.version;
  const dir = join(CACHE, 'bin');
  const resolved = existsSync(dir) ? readdirSync(dir).find((f) => /^ui-server-.*\.resolved$/.test(f)) : undefined;
  return resolved ? readFileSync(join(dir, resolved), 'utf8').trim() : undefined;
}

/**
 * TEMPORAL_DOCKER_PROVIDER_VERSION for a test project that runs terraform: the release the test
 * environment pins (scripts/test-env), which scripts/build-e2e-provider can build here.
 */
export function providerPin(env: TestEnv): { TEMPORAL_DOCKER_PROVIDER_VERSION: string } {
  const version = env.terraform?.dockerProvider;
  if (!version) throw new Error('.test-env/env.json names no provider version: run `bash scripts/test-env up`');
  return { TEMPORAL_DOCKER_PROVIDER_VERSION: version };
}

/**
 * Writes <dir>/temporal.env for this run and returns its path. The visibility store is the default,
 * Elasticsearch (the stand-in image assembled from Maven Central), as a user's first start gets.
 */
export async function writeEnvFile(dir: string, env: TestEnv): Promise<string> {
  const ui = uiVersion(env);
  if (!ui) throw new Error('no Web UI build for the stand-in image: run `bash scripts/test-env up`');
  // A free port for every port key of the service model (metrics and Grafana too, switched on or not).
  const portLines = Object.entries(await freePortKeys()).map(([k, port]) => `${k}=${port}`);
  const file = join(dir, 'temporal.env');
  await mkdir(dir, { recursive: true });
  await writeFile(
    file,
    [
      '# Written by the e2e suite (test/e2e): local stand-in images, free ports, a project of its own.',
      `TEMPORAL_PROJECT=${E2E_PROJECT}`,
      `TEMPORAL_IMAGE_REGISTRY=${E2E_REGISTRY}`,
      '# Debian bookworm ships PostgreSQL 15 (the stand-in image is built from it).',
      'POSTGRESQL_VERSION=15',
      `TEMPORAL_UI_VERSION=${ui}`,
      '# The provider release the test environment can build (scripts/test-env), pinned as a user would.',
      `TEMPORAL_DOCKER_PROVIDER_VERSION=${providerPin(env).TEMPORAL_DOCKER_PROVIDER_VERSION}`,
      ...portLines,
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * Runs a provisioning script under a lock in the shared cache, so two checkouts never build the
 * same image tags or rewrite the provider mirror at the same time. Returns its stdout.
 */
async function provisioning(script: string, args: string[], env: Record<string, string>): Promise<string> {
  await mkdir(join(CACHE, 'e2e'), { recursive: true });
  const lock = join(CACHE, 'e2e', 'provision.lock');
  try {
    const r = await run('flock', ['-w', '1800', lock, 'bash', join(PROJECT_ROOT, 'scripts', script), ...args], {
      env,
      maxBuffer: 64 << 20,
    });
    return r.stdout;
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    const lines = (e.stderr ?? '').trimEnd().split('\n').slice(-20).join('\n');
    throw new Error(`scripts/${script} ${args.join(' ')} failed (exit ${e.code}):\n${lines}`);
  }
}

/** The config's images as local stand-ins (skipped when their tags exist); Prometheus's has its own script. */
export const buildImages = async (envFile: string, env: Record<string, string>): Promise<string> =>
  (await provisioning('build-e2e-images', ['--env-file', envFile], env)) +
  (await provisioning('build-e2e-prometheus', ['--env-file', envFile], env));

/**
 * The provider release `envFile` configures (TEMPORAL_DOCKER_PROVIDER_VERSION), in the test-only mirror
 * under that version; returns the TF_CLI_CONFIG_FILE that points terraform at it.
 */
export async function buildProvider(envFile: string, env: Record<string, string>): Promise<string> {
  const rc = (await provisioning('build-e2e-provider', ['--env-file', envFile], env)).trim().split('\n').pop() ?? '';
  if (!existsSync(rc)) throw new Error(`scripts/build-e2e-provider printed "${rc}", which is not a file`);
  return rc;
}
