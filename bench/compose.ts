// Time to ready of the compose baseline (bench/compose/compose.yml) on the same engine and images:
// from `docker-compose up -d` on nothing until its namespace job has exited 0, as the issue measured
// Temporal's samples-server file. Debian's docker-compose (1.29, installed here by apt when missing).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/installed-package.js';
import { dynamicConfigPath } from '../src/model/names-and-endpoints.js';
import type { ClusterConfig } from '../src/config/schema.js';
import { sleep } from '../src/sleep.js';

const run = promisify(execFile);
const FILE = join(PROJECT_ROOT, 'bench/compose/compose.yml');
const COMPOSE = '/usr/bin/docker-compose';

/** Installs Debian's docker-compose when it is missing (bench only: the product never calls it). */
export async function ensureCompose(): Promise<void> {
  if (existsSync(COMPOSE)) return;
  await run('apt-get', ['install', '-y', '-q', 'docker-compose'], { maxBuffer: 1 << 24 });
}

export function composeRunner(config: ClusterConfig, env: Record<string, string>, project: string) {
  const dynamic = dynamicConfigPath(config);
  const composeEnv = {
    ...process.env,
    ...env,
    POSTGRES_IMAGE: config.POSTGRES_IMAGE,
    TEMPORAL_SERVER_IMAGE: config.TEMPORAL_SERVER_IMAGE,
    TEMPORAL_ADMINTOOLS_IMAGE: config.TEMPORAL_ADMINTOOLS_IMAGE,
    TEMPORAL_UI_IMAGE: config.TEMPORAL_UI_IMAGE,
    DYNAMIC_CONFIG: basename(dynamic),
    DYNAMIC_CONFIG_DIR: dirname(dynamic),
  };
  const compose = (...args: string[]) =>
    run(COMPOSE, ['-p', project, '-f', FILE, ...args], { env: composeEnv, maxBuffer: 1 << 24 });
  const jobState = async (): Promise<string> => {
    const { stdout: id } = await compose('ps', '-q', 'namespace');
    if (!id.trim()) return 'missing';
    const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', id.trim()], {
      env: composeEnv,
    });
    return stdout.trim();
  };
  return {
    down: () => compose('down', '-v', '--remove-orphans'),
    /** Milliseconds from `up -d` on nothing until the namespace job exited 0. */
    async timeToReady(timeoutMs = 300_000): Promise<number> {
      const started = performance.now();
      await compose('up', '-d');
      for (;;) {
        const state = await jobState();
        if (state === 'exited 0') return Math.round(performance.now() - started);
        if (state.startsWith('exited')) throw new Error(`compose baseline: namespace job ${state}`);
        if (performance.now() - started > timeoutMs) throw new Error('compose baseline: not ready in time');
        await sleep(100);
      }
    },
  };
}
