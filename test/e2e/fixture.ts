// One end-to-end run: provisions (stand-in images, provider mirror, the CLI under test), owns an
// empty working directory that holds only temporal.env, and cleans up only its own project, after
// the suite and on SIGINT/SIGTERM. E2E_KEEP=1 leaves a failed run's cluster and files for debugging.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { setEnvFileKeys } from '../../src/config/env-file-edit.js';
import { loadConfig } from '../../src/project/load.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import { after } from 'node:test';
import { ordered, type Ordered } from '../support/ordered.js';
import { cliEnv, spawnCli, type Ran } from '../support/cli.js';
import { isCI, loadTestEnv, NOT_UP_MESSAGE, type TestEnv } from '../support/env.js';
import { onInterrupt } from '../support/signals.js';
import { removeProject, removeProjectSync, removeStackFiles } from './engine.js';
import { cliUnderTest, type CliUnderTest } from './installed-cli.js';
import { buildImages, buildProvider, uiVersion, writeEnvFile } from './provision.js';

export const KEEP = process.env.E2E_KEEP === '1';

/** Why the run cannot happen here (false when it can); under CI=true that is a failure, not a skip. */
export function missingComponent(): string | false {
  const env = loadTestEnv(); // throws under CI when the test environment is not up
  const problem = !env
    ? NOT_UP_MESSAGE
    : !env.docker
      ? 'the test environment has no Docker engine: run `bash scripts/test-env up`'
      : !uiVersion(env)
        ? 'no Web UI build for the stand-in image: run `bash scripts/test-env up`'
        : !env.python
          ? "no Python SDK (PyPI's temporalio) for the worker: run `bash scripts/test-env up`"
          : false;
  if (problem && isCI()) throw new Error(`e2e: ${problem}`);
  return problem;
}

export interface E2eRun {
  docker: Docker;
  /** The run's config, loaded with the project's own loadConfig from the run's temporal.env. */
  config: ClusterConfig;
  /** The CLI's working directory: empty but for temporal.env. */
  workdir: string;
  /** The run's temporal.env (in workdir). */
  envFile: string;
  /** The run's own temporary directory (workdir is inside it); removed by the cleanup. */
  tmp: string;
  /** The environment the CLI under test runs with (TF_CLI_CONFIG_FILE of the provider mirror, DOCKER_HOST). */
  env: Record<string, string>;
  cli: CliUnderTest;
  /** Runs the CLI under test in workdir (no --env-file: it finds ./temporal.env as a user's would). */
  ctl(args: string[], timeoutMs?: number): Promise<Ran>;
  /** Provisioning timings and paths, for the report. */
  notes: string[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

async function timed<T>(notes: string[], what: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await fn();
  notes.push(`${what}: ${seconds(performance.now() - started)}`);
  return value;
}

/** What a run owns on the engine and on disk; cli and tfrc are filled in as provisioning goes. */
interface Owned {
  docker: Docker;
  dockerHost: string;
  config: ClusterConfig;
  tmp: string;
  workdir: string;
  cli?: CliUnderTest;
  tfrc?: string;
}

/** Arms the interrupt handler and returns the cleanup for after(): only this project, only this run's files. */
function cleanupOf(o: Owned, isFailed: () => boolean): () => Promise<void> {
  const project = o.config.TEMPORAL_PROJECT;
  const disarm = onInterrupt(() => {
    if (KEEP) return void process.stderr.write(`E2E_KEEP=1: leaving project ${project} and ${o.tmp}\n`);
    removeProjectSync(project, o.dockerHost);
    if (o.cli) removeStackFiles(o.cli.packageRoot, o.config);
    rmSync(o.tmp, { recursive: true, force: true });
  });
  return async () => {
    disarm();
    if (KEEP && isFailed()) {
      process.stderr.write(
        `E2E_KEEP=1: leaving project ${project} on the engine and ${o.tmp}\n` +
          `  debug: cd ${o.workdir} && TF_CLI_CONFIG_FILE=${o.tfrc ?? ''} ${o.cli?.bin ?? 'temporal-ctl'} status\n` +
          '  the next run removes the project; delete the directory yourself\n',
      );
      return;
    }
    await removeProject(o.docker, project);
    if (o.cli) removeStackFiles(o.cli.packageRoot, o.config);
    await rm(o.tmp, { recursive: true, force: true });
  };
}

export interface RunOptions {
  /**
   * The run's TEMPORAL_PROJECT, for a suite sharing the engine with another suite of this checkout.
   * @default E2E_PROJECT (./provision.ts)
   */
  readonly project?: string;
  /**
   * Keys set in the run's temporal.env (with setEnvFileKeys, as `upgrade` edits it) before the images
   * are built (a suite's own server release, its visibility store). @default - none
   */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * The environment the CLI under test gets beyond the run's own, e.g. the DOCKER_HOST of a swarm's
   * manager (the images are still built on the test environment's engine). @default - none
   */
  readonly ctlEnv?: Readonly<Record<string, string>>;
}

/** The options of every e2e suite's describe(): skipped without the test environment (a failure under CI), steps in order. */
export const suiteOptions = (skip: string | false = missingComponent()) => ({ skip, concurrency: false });

/** One suite's ordered steps and its run: a step provisions it with `start`, the suite's end removes it. */
export function e2eSuite(): { readonly steps: Ordered; start(options?: RunOptions): Promise<E2eRun> } {
  const steps = ordered();
  let finish: (() => Promise<void>) | undefined;
  after(async () => {
    await finish?.();
  });
  return {
    steps,
    async start(options = {}) {
      const provisioned = await startRun(() => steps.failed, options);
      finish = provisioned.finish;
      return provisioned.run;
    },
  };
}

/** Provisions the run; `isFailed` tells the cleanup whether E2E_KEEP should keep things. */
export async function startRun(
  isFailed: () => boolean,
  options: RunOptions = {},
): Promise<{ run: E2eRun; finish: () => Promise<void> }> {
  const env = loadTestEnv() as TestEnv & { docker: NonNullable<TestEnv['docker']> };
  const tmp = await mkdtemp(join(tmpdir(), 'tctl-e2e-'));
  const workdir = join(tmp, 'work');
  const envFile = await writeEnvFile(workdir, env);
  setEnvFileKeys(
    envFile,
    { ...(options.project ? { TEMPORAL_PROJECT: options.project } : {}), ...options.settings },
    "the suite's own settings",
  );
  const { config } = loadConfig({ envFile, env: cliEnv() });
  const o: Owned = {
    docker: new Docker(dockerOptions({ DOCKER_HOST: env.docker.host })),
    dockerHost: env.docker.host,
    config,
    tmp,
    workdir,
  };
  const finish = cleanupOf(o, isFailed);
  const notes: string[] = [`project ${config.TEMPORAL_PROJECT}, working directory ${workdir}`];
  try {
    await removeProject(o.docker, config.TEMPORAL_PROJECT); // leftovers of an interrupted or kept run of this checkout
    const provisioningEnv = { ...cliEnv(), DOCKER_HOST: env.docker.host };
    await timed(notes, 'stand-in images (built or cached)', () => buildImages(envFile, provisioningEnv));
    const tfrc = (o.tfrc = await timed(notes, 'provider mirror', () => buildProvider(envFile, provisioningEnv)));
    await mkdir(join(tmp, 'pack'));
    const cli = (o.cli = await cliUnderTest(join(tmp, 'pack')));
    notes.push(`CLI under test (${cli.how}): ${cli.bin}`);
    if (cli.packMs !== undefined)
      notes.push(
        `npm pack: ${seconds(cli.packMs)}, npm install -g: ${cli.installMs === undefined ? 'the same tarball installed by an earlier file' : seconds(cli.installMs)}`,
      );
    removeStackFiles(cli.packageRoot, config); // a stale provider lock or state of this project
    const ctlEnv = cliEnv({ TF_CLI_CONFIG_FILE: tfrc, DOCKER_HOST: env.docker.host, ...options.ctlEnv });
    const ctl = (args: string[], timeoutMs = 600_000) =>
      spawnCli(args, { bin: cli.bin, cwd: workdir, env: ctlEnv, timeoutMs });
    return { run: { docker: o.docker, config, workdir, envFile, tmp, env: ctlEnv, cli, ctl, notes }, finish };
  } catch (error) {
    await finish();
    throw error;
  }
}
