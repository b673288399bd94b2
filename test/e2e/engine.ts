// What the Docker engine and Terraform really hold for one project: containers, networks and
// volumes found by the stack's project label, and the local state file terraform wrote.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LABELS, stackName } from '../../src/model/names-and-endpoints.js';
import type { ClusterConfig } from '../../src/config/schema.js';

export interface EngineState {
  containers: { name: string; service: string; state: string; exitCode: number | null }[];
  networks: string[];
  volumes: { name: string; service: string; stack: string }[];
}

const byProject = (project: string) => ({ label: [`${LABELS.project}=${project}`] });

/** Everything of the project on the engine, by label (nothing of another project). */
export async function engineState(docker: Docker, project: string): Promise<EngineState> {
  const filters = byProject(project);
  const listed = await docker.listContainers({ all: true, filters });
  const inspected = await Promise.all(
    listed.map(async (c) => {
      // Removed between the list and the inspect (terraform replacing it, a job's cleanup): not there any more.
      const info = await docker
        .getContainer(c.Id)
        .inspect()
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode === 404) return undefined;
          throw error;
        });
      return info
        ? [
            {
              name: info.Name.replace(/^\//, ''),
              service: c.Labels[LABELS.service] ?? '',
              state: info.State.Status,
              exitCode: info.State.Status === 'exited' ? info.State.ExitCode : null,
            },
          ]
        : [];
    }),
  );
  const containers = inspected.flat();
  const networks = (await docker.listNetworks({ filters })).map((n) => n.Name);
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => ({
    name: v.Name,
    service: v.Labels?.[LABELS.service] ?? '',
    stack: v.Labels?.[LABELS.stack] ?? '',
  }));
  // By name: the engine lists in no stable order, and the runs compare whole states.
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return { containers: containers.sort(byName), networks: networks.sort(), volumes: volumes.sort(byName) };
}

/** Removes the project's containers, networks and volumes (by label only: never another project's). */
export async function removeProject(docker: Docker, project: string): Promise<void> {
  const filters = byProject(project);
  for (const c of await docker.listContainers({ all: true, filters }))
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const n of await docker.listNetworks({ filters }))
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => undefined);
}

/** removeProject for a signal handler (synchronous, through the docker CLI; DOCKER_HOST as given). */
export function removeProjectSync(project: string, dockerHost: string): void {
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  const docker = (...args: string[]) => {
    try {
      return execFileSync('docker', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter(Boolean);
    } catch {
      return [];
    }
  };
  const label = `label=${LABELS.project}=${project}`;
  const containers = docker('ps', '-aq', '--filter', label);
  if (containers.length) docker('rm', '-f', ...containers);
  const networks = docker('network', 'ls', '-q', '--filter', label);
  if (networks.length) docker('network', 'rm', ...networks);
  const volumes = docker('volume', 'ls', '-q', '--filter', label);
  if (volumes.length) docker('volume', 'rm', '-f', ...volumes);
}

/** Whether the engine has the image, and its labels (the stand-ins carry io.temporal-ctl.e2e-image). */
export async function imageLabels(docker: Docker, ref: string): Promise<Record<string, string> | undefined> {
  const info = await docker
    .getImage(ref)
    .inspect()
    .catch(() => undefined);
  return info ? (info.Config?.Labels ?? {}) : undefined;
}

export interface TfResource {
  mode: string;
  type: string;
  name: string;
  provider: string;
  instances: { attributes: Record<string, unknown> }[];
}

/** The state file's resources, or undefined when there is no such file. */
export function stateResources(file: string): TfResource[] | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  // Empty: what a terraform killed while writing it leaves; terraform itself reads it as no state.
  if (text.trim() === '') return [];
  return (JSON.parse(text) as { resources?: TfResource[] }).resources ?? [];
}

/** The state file name cdktf's local backend uses: terraform.<project>-<profile>.tfstate. */
export const stateFileName = (c: ClusterConfig): string => `terraform.${stackName(c)}.tfstate`;

/** Where the project's state belongs: .temporal-ctl/ beside its temporal.env (README "Where the state lives"). */
export const userStateFile = (workdir: string, c: ClusterConfig): string =>
  join(workdir, '.temporal-ctl', stateFileName(c));

/** Where versions before the state directory kept it: the package root. It must stay empty. */
export const packageStateFile = (packageRoot: string, c: ClusterConfig): string => join(packageRoot, stateFileName(c));

/**
 * Deletes this stack's state and synthesized files in the package root (an install is shared by
 * the e2e files of one tarball): an old run's state there would be moved into the new run's directory.
 */
export function removeStackFiles(packageRoot: string, c: ClusterConfig): void {
  const state = packageStateFile(packageRoot, c);
  for (const suffix of ['', '.backup', '.lock.info']) rmSync(state + suffix, { force: true });
  rmSync(join(packageRoot, 'cdktf.out', 'stacks', stackName(c)), { recursive: true, force: true });
}
