// Stand-in containers for the Docker side of the CLI: tiny busybox containers (the test
// environment's `temporal-ctl-test/busybox:1`) carrying the stack's labels under a unique
// test project, so listing, logs, stop/start/restart and down run against a real engine.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { LABELS, labelsFor } from '../../src/model/names-and-endpoints.js';
import { type ServiceName } from '../../src/model/services.js';
import { SERVICES, serviceDecl, volumeName } from '../../src/model/service-facts.js';
import { cliEnv } from '../support/cli.js';
import { freePorts } from '../support/free-ports.js';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';

export interface DockerTestEnv {
  host: string;
  testImage: string;
}
const NOT_UP = 'Docker is not available to the tests: run `bash scripts/test-env up`';

/** The contract's docker entry (test/support/env.ts); when the test env is not up (and not CI), a local engine with the image. */
export async function dockerTestEnv(): Promise<DockerTestEnv | undefined> {
  const support = '../support/env.js'; // written by the test-env helper; a variable keeps tsc from requiring it
  const mod = (await import(support).catch(() => undefined)) as
    | { loadTestEnv?: () => { docker?: DockerTestEnv | null } | undefined }
    | undefined;
  const full = mod?.loadTestEnv?.(); // throws under CI when the test env is not up
  if (full) {
    if (!full.docker && process.env.CI) throw new Error(NOT_UP);
    return full.docker ?? undefined;
  }
  const candidate = {
    host: process.env.DOCKER_HOST || 'unix:///var/run/docker.sock',
    testImage: 'temporal-ctl-test/busybox:1',
  };
  const docker = new Docker(dockerOptions({ DOCKER_HOST: candidate.host }));
  const ok = await docker
    .getImage(candidate.testImage)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!ok && process.env.CI) throw new Error(NOT_UP);
  return ok ? candidate : undefined;
}

export const SKIP_MESSAGE = NOT_UP;

/** A unique project for this run, its config and a temporal.env that names it. */
export async function testProject(
  extra: Record<string, string> = {},
): Promise<{ project: string; config: ClusterConfig; envFile: string; dir: string }> {
  const project = `tctl-dk-${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'tctl-docker-'));
  const envFile = join(dir, 'temporal.env');
  const values = { TEMPORAL_PROJECT: project, TEMPORAL_VISIBILITY: 'postgres', ...extra };
  await writeFile(
    envFile,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const { config } = loadConfig({ envFile, env: {} });
  return { project, config, envFile, dir };
}

/** A shell loop that exits promptly on `docker stop` (PID 1 ignores SIGTERM unless trapped). */
/** A free host port for every port key of the service model, so prerequisites report only what a test provokes. */
export async function freePortKeys(): Promise<Record<string, string>> {
  const keys = [...new Set(SERVICES.flatMap((s) => serviceDecl(s).ports.map((p) => p.key)))];
  const ports = await freePorts(keys.length);
  return Object.fromEntries(keys.map((k, i) => [k, String(ports[i])]));
}

export const trapped = (body: string): string[] => ['sh', '-c', `trap 'exit 0' TERM; ${body}`];

export interface StandIn {
  service: ServiceName;
  cmd: string[];
  restart?: 'always';
  healthcheck?: string;
  ports?: number[];
  volume?: boolean;
  /** Labels of another project (must never be touched). */
  foreignProject?: ClusterConfig;
}

export async function createStandIn(
  docker: Docker,
  image: string,
  c: ClusterConfig,
  s: StandIn,
): Promise<Docker.Container> {
  const owner = s.foreignProject ?? c;
  const container = await docker.createContainer({
    name: `${owner.TEMPORAL_PROJECT}-${s.service}`,
    Image: image,
    Cmd: s.cmd,
    Labels: labelsFor(owner, s.service),
    Healthcheck: s.healthcheck
      ? { Test: ['CMD-SHELL', s.healthcheck], Interval: 500_000_000, Timeout: 1_000_000_000, Retries: 1 }
      : undefined,
    ExposedPorts: Object.fromEntries((s.ports ?? []).map((p) => [`${p}/tcp`, {}])),
    HostConfig: {
      RestartPolicy: s.restart ? { Name: s.restart } : undefined,
      PortBindings: Object.fromEntries(
        (s.ports ?? []).map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p) }]]),
      ),
      Binds: s.volume ? [`${volumeName(owner, 'postgresql')}:/data`] : undefined,
    },
  });
  await container.start();
  return container;
}

/** The stack's PostgreSQL volume, labelled as the stack labels it. */
export async function createStackVolume(docker: Docker, c: ClusterConfig): Promise<string> {
  const name = volumeName(c, 'postgresql')!;
  await docker.createVolume({ Name: name, Labels: labelsFor(c, 'postgresql') });
  return name;
}

/** Removes every container and volume of the given projects (test cleanup, also after failures). */
export async function removeProjects(docker: Docker, projects: string[]): Promise<void> {
  for (const project of projects) {
    const filters = { label: [`${LABELS.project}=${project}`] };
    for (const c of await docker.listContainers({ all: true, filters }))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
    for (const v of volumes)
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined);
  }
}

/** Polls until check passes or the deadline (no fixed sleeps). */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}
export type OnStdout = (text: string, child: ChildProcess) => void;

/** Runs the built binary with real argv; the environment is cliEnv's (no developer settings) and stdin is not a terminal. */
export function runCtl(args: string[], env: Record<string, string> = {}, onStdout?: OnStdout): Promise<Ran> {
  const started = performance.now();
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cliEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr, ms: Math.round(performance.now() - started) }));
  });
}

export const noStackTrace = (r: Ran): void =>
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace without --verbose');
