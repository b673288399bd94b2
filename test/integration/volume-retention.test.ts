// The visibility switch never deletes the Elasticsearch volume, with real terraform and the real
// kreuzwerker/docker provider (the e2e's mirror) on the real engine. prevent_destroy guards only
// declared blocks; the stack keeps declaring a volume its state holds (stacks/state-volumes.ts).
// Stand-in: no Elasticsearch image can be had here yet, so each synthesized stack is cut down to
// its docker_volume blocks (exactly as the stack emits them) before terraform runs; the e2e checks
// the same switch against a real Elasticsearch volume once that image exists.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { App } from 'cdktf';
import Docker from 'dockerode';
import { LABELS, stackName } from '../../src/model/names-and-endpoints.js';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths, stackFiles } from '../../src/project/paths.js';
import { dockerOptions } from '../../src/docker/client.js';
import { volumeName } from '../../src/model/service-facts.js';
import { ensureStateDir, synthesize } from '../../src/deploy/synth.js';
import { TemporalStack } from '../../stacks/temporal-stack.js';
import { cliEnv, spawnCli, tail } from '../support/cli.js';
import { buildProvider, providerPin } from '../e2e/provision.js';
import { requireTestEnv } from '../support/env.js';
import { dockerTestEnv, removeProjects, SKIP_MESSAGE, testProject } from './docker-fixture.js';

const run = promisify(execFile);
const testEnv = await dockerTestEnv();
const MARKER = 'written before the switch';

describe('the visibility switch keeps the Elasticsearch volume (real terraform and provider)', {
  skip: testEnv ? false : SKIP_MESSAGE,
  concurrency: false,
}, () => {
  let docker: Docker;
  let tfEnv: Record<string, string>;
  let project: Awaited<ReturnType<typeof testProject>>;
  const load = () => loadConfig({ envFile: project.envFile, env: {} });
  const paths = () => projectPaths(load().config, project.dir);
  const esVolume = () => volumeName(load().config, 'elasticsearch')!;

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    project = await testProject({ ...providerPin(requireTestEnv()), TEMPORAL_VISIBILITY: 'elasticsearch' });
    const rc = await buildProvider(project.envFile, cliEnv({ DOCKER_HOST: testEnv!.host }));
    tfEnv = cliEnv({
      TF_CLI_CONFIG_FILE: rc,
      DOCKER_HOST: testEnv!.host,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    });
  });

  after(async () => {
    if (!project) return;
    await removeProjects(docker, [project.project]);
    await rm(project.dir, { recursive: true, force: true });
  });

  /** Edits temporal.env as a user would. */
  function setVisibility(store: 'elasticsearch' | 'postgres'): void {
    const text = readFileSync(project.envFile, 'utf8');
    writeFileSync(project.envFile, text.replace(/^TEMPORAL_VISIBILITY=.*$/m, `TEMPORAL_VISIBILITY=${store}`));
  }

  /**
   * Synthesizes the project's stack as `start` does (src/deploy/synth.ts, which reads the state), or
   * with `heldVolumeIds` forced; keeps only its volumes; returns the stack dir.
   */
  async function synthVolumes(heldVolumeIds?: string[]): Promise<string> {
    const loaded = load();
    const p = projectPaths(loaded.config, loaded.projectDir);
    if (heldVolumeIds) {
      ensureStateDir(p.stateDir);
      const app = new App({ outdir: p.outdir, stackTraces: false });
      const { config, projectDir } = loaded;
      const props = { config, stateFile: p.stateFile, heldVolumeIds, ...stackFiles(config, projectDir) };
      new TemporalStack(app, stackName(config), props);
      app.synth();
    } else {
      await synthesize(loaded);
    }
    const file = join(p.stackDir, 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { resource: Record<string, unknown>; output?: unknown };
    doc.resource = { docker_volume: doc.resource.docker_volume };
    delete doc.output;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return p.stackDir;
  }

  async function terraform(dir: string, args: string[]): Promise<{ code: number; output: string }> {
    try {
      const r = await run('terraform', [`-chdir=${dir}`, ...args], { env: tfEnv, maxBuffer: 64 << 20 });
      return { code: 0, output: r.stdout + r.stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  const plan = (dir: string) => terraform(dir, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);

  /** Runs a busybox container on the volume; returns its output. */
  async function onVolume(volume: string, script: string): Promise<string> {
    const r = await run('docker', ['run', '--rm', '-v', `${volume}:/data`, testEnv!.testImage, 'sh', '-c', script], {
      env: { ...process.env, DOCKER_HOST: testEnv!.host },
    });
    return r.stdout.trim();
  }

  it('with elasticsearch visibility, terraform creates both volumes; data is written into the Elasticsearch one', async () => {
    const dir = await synthVolumes();
    const init = await terraform(dir, ['init', '-input=false', '-no-color']);
    assert.equal(init.code, 0, init.output);
    const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    assert.equal(apply.code, 0, apply.output);
    assert.match(apply.output, /2 added, 0 changed, 0 destroyed/);
    await onVolume(esVolume(), `echo '${MARKER}' > /data/marker`);
  });

  it('without the guard, switching to postgres visibility would destroy it (terraform plans the delete)', async () => {
    setVisibility('postgres');
    const dir = await synthVolumes([]); // the stack as it was before it read its state
    const r = await plan(dir);
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, /docker_volume\.elasticsearch_data will be destroyed/);
  });

  it('switched to postgres visibility, the stack keeps it declared: the plan is empty and apply leaves the data', async () => {
    setVisibility('postgres');
    const kept = (await synthesize(load())).retainedVolumes; // start warns with these
    assert.deepEqual(
      kept.map((v) => [v.service, v.name]),
      [['elasticsearch', esVolume()]],
    );
    const dir = await synthVolumes();
    const r = await plan(dir);
    assert.equal(r.code, 0, r.output);
    const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    assert.equal(apply.code, 0, apply.output);
    assert.match(apply.output, /0 added, 0 changed, 0 destroyed/);
    assert.equal(await onVolume(esVolume(), 'cat /data/marker'), MARKER);
  });

  it('switching back to elasticsearch finds the same volume: nothing to create, the data is there', async () => {
    setVisibility('elasticsearch');
    const r = await plan(await synthVolumes());
    assert.equal(r.code, 0, r.output);
    assert.equal(await onVolume(esVolume(), 'cat /data/marker'), MARKER);
  });

  it('down --volumes --yes (postgres visibility) still deletes every volume of the project, the kept one included', async () => {
    setVisibility('postgres');
    const r = await spawnCli(['--env-file', project.envFile, 'down', '--volumes', '--yes'], {
      env: tfEnv,
      timeoutMs: 300_000,
    });
    assert.equal(r.code, 0, tail(r));
    const left = await docker.listVolumes({ filters: { label: [`${LABELS.project}=${project.project}`] } });
    assert.deepEqual(left.Volumes ?? [], []);
    assert.match(r.stdout + r.stderr, new RegExp(esVolume()));
    const state = JSON.parse(readFileSync(paths().stateFile, 'utf8')) as { resources: unknown[] };
    assert.deepEqual(state.resources, []);
  });
});
