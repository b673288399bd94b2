// `plan` and start's guard with real terraform and the real kreuzwerker/docker provider (the e2e's
// mirror) on the real engine. Stand-in: no Temporal image is needed to plan, but one is to apply a
// container, so what is applied here is the stack's docker_volume blocks alone (exactly as the stack
// emits them); the e2e applies and plans the whole stack on its local images.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { LABELS } from '../../src/model/names-and-endpoints.js';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { dockerOptions } from '../../src/docker/client.js';
import { enabledServices, volumeName } from '../../src/model/service-facts.js';
import { terraformApply } from '../../src/deploy/apply.js';
import { terraformPlan } from '../../src/deploy/terraform-plan.js';
import { synthesize } from '../../src/deploy/synth.js';
import { guardPlan, planStack, type ClusterPlan } from '../../src/lifecycle/plan-and-guard.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { OperationError } from '../../src/errors.js';
import { Output } from '../../src/output.js';
import { cliEnv, json, spawnCli, tail } from '../support/cli.js';
import { buildProvider, providerPin } from '../e2e/provision.js';
import { requireTestEnv } from '../support/env.js';
import { dockerTestEnv, removeProjects, SKIP_MESSAGE, testProject } from './docker-fixture.js';

const run = promisify(execFile);
const testEnv = await dockerTestEnv();
const MARKER = 'written before the plan';

describe('plan and the guard of start (real terraform and provider)', {
  skip: testEnv ? false : SKIP_MESSAGE,
  concurrency: false,
}, () => {
  let docker: Docker;
  let tfEnv: Record<string, string>;
  let project: Awaited<ReturnType<typeof testProject>>;
  const load = () => loadConfig({ envFile: project.envFile, env: {} });
  const pgVolume = () => volumeName(load().config, 'postgresql')!;
  const stateFile = () => join(project.dir, '.temporal-ctl', `terraform.${project.project}-development.tfstate`);
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const io = () => ({ env: tfEnv, out: new Output({ stdout: sink, stderr: sink }, 'never', {}), verbose: false });
  const events: LifecycleEvent[] = [];
  const emit = (e: LifecycleEvent) => events.push(e);

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    project = await testProject({ ...providerPin(requireTestEnv()), TEMPORAL_VISIBILITY: 'postgres' });
    const rc = await buildProvider(project.envFile, cliEnv({ DOCKER_HOST: testEnv!.host }));
    tfEnv = cliEnv({ TF_CLI_CONFIG_FILE: rc, DOCKER_HOST: testEnv!.host, CHECKPOINT_DISABLE: '1' });
  });

  after(async () => {
    if (!project) return;
    await removeProjects(docker, [project.project]);
    await rm(project.dir, { recursive: true, force: true });
  });

  /** Synthesizes as start does, then keeps only the volumes (optionally without prevent_destroy). */
  async function synthVolumes(unguarded = false): Promise<string> {
    const synth = await synthesize(load());
    const file = join(synth.dir, 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      output?: unknown;
    };
    doc.resource = { docker_volume: doc.resource.docker_volume! };
    if (unguarded) for (const v of Object.values(doc.resource.docker_volume!)) delete v.lifecycle;
    delete doc.output;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return synth.dir;
  }

  async function onVolume(volume: string, script: string): Promise<string> {
    const r = await run('docker', ['run', '--rm', '-v', `${volume}:/data`, testEnv!.testImage, 'sh', '-c', script], {
      env: { ...process.env, DOCKER_HOST: testEnv!.host },
    });
    return r.stdout.trim();
  }

  const projectObjects = async () => {
    const filters = { label: [`${LABELS.project}=${project.project}`] };
    const [containers, volumes] = await Promise.all([
      docker.listContainers({ all: true, filters }),
      docker.listVolumes({ filters }),
    ]);
    return { containers: containers.map((c) => c.Names[0]), volumes: (volumes.Volumes ?? []).map((v) => v.Name) };
  };

  it('plan --detailed-exitcode on a new project: exit 3, every enabled service, the volume and the network to create, nothing made', async () => {
    const r = await spawnCli(['--env-file', project.envFile, 'plan', '--detailed-exitcode', '-o', 'json'], {
      env: tfEnv,
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 3, tail(r));
    const doc = json<{ pending: boolean; changes: { kind: string; name: string; action: string }[] }>(r);
    assert.equal(doc.pending, true);
    const created = (kind: string) =>
      doc.changes.filter((c) => c.kind === kind && c.action === 'create').map((c) => c.name);
    assert.deepEqual(created('service'), enabledServices(load().config));
    assert.deepEqual(created('volume'), [pgVolume()]);
    assert.equal(created('network').length, 1);
    assert.deepEqual(await projectObjects(), { containers: [], volumes: [] });
    const plain = await spawnCli(['--env-file', project.envFile, 'plan'], { env: tfEnv, timeoutMs: 180_000 });
    assert.equal(plain.code, 0, tail(plain));
    assert.match(plain.stdout, new RegExp(`volume ${pgVolume()}\\s+create`));
  });

  it('terraform selected the provider release the config pins, under its own name, and re-locks after a pin change', async () => {
    const pinned = load().config.TEMPORAL_DOCKER_PROVIDER_VERSION;
    assert.equal(
      pinned,
      requireTestEnv().terraform.dockerProvider,
      "the test project pins the test environment's release",
    );
    const dir = projectPaths(load().config, project.dir).stackDir;
    const lock = join(dir, '.terraform.lock.hcl');
    const locked = () =>
      /provider "registry\.terraform\.io\/kreuzwerker\/docker" \{\s*version\s*=\s*"([^"]+)"/.exec(
        readFileSync(lock, 'utf8'),
      )?.[1];
    const selected = async () => {
      const r = await run('terraform', [`-chdir=${dir}`, 'version', '-json'], { env: tfEnv });
      return (JSON.parse(r.stdout) as { provider_selections: Record<string, string> }).provider_selections;
    };
    assert.equal(locked(), pinned);
    assert.deepEqual(await selected(), { 'registry.terraform.io/kreuzwerker/docker': pinned });
    // Stand-in for a lock a start under another release wrote (the proxy serves one release, so the
    // mirror holds one): terraform refuses such a lock unless init re-locks, which the CLI's init does.
    writeFileSync(lock, readFileSync(lock, 'utf8').replaceAll(`"${pinned}"`, '"3.6.2"'));
    assert.equal(locked(), '3.6.2');
    const r = await spawnCli(['--env-file', project.envFile, 'plan', '--detailed-exitcode', '-o', 'json'], {
      env: tfEnv,
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 3, tail(r));
    assert.match(r.stderr, /locking the pinned one/);
    assert.equal(locked(), pinned);
  });

  it('the saved plan applied, the next plan is empty (pending false)', async () => {
    const dir = await synthVolumes();
    const saved = await terraformPlan(dir, io());
    assert.deepEqual(
      saved.plan.changes.map((c) => [c.name, c.action]),
      [[pgVolume(), 'create']],
    );
    await terraformApply(dir, io(), [], () => undefined, saved.file);
    await onVolume(pgVolume(), `echo '${MARKER}' > /data/marker`);
    const again = await terraformPlan(await synthVolumes(), io());
    assert.deepEqual(again.plan, { changes: [], pending: false });
  });

  it('a plan that would replace the volume is refused with its name, and nothing changes', async () => {
    // What a change of the volume's attributes plans (a label here; a stack version that labels
    // volumes differently, or a volume made by another tool and adopted, would do the same).
    const dir = await synthVolumes();
    const file = join(dir, 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.resource.docker_volume.postgres_data.labels.push({ label: 'io.temporal-ctl.test', value: 'changed' });
    writeFileSync(file, JSON.stringify(doc));
    const stateBefore = readFileSync(stateFile(), 'utf8');
    await assert.rejects(
      terraformPlan(dir, io(), { volumeName: () => pgVolume() }),
      (e: unknown) =>
        e instanceof OperationError &&
        e.message.includes(`volume ${pgVolume()}`) &&
        /start never deletes a volume/.test(e.message) &&
        /down --volumes/.test(e.hint ?? ''),
    );
    // Without prevent_destroy terraform plans the replacement; the guard refuses it before any apply.
    const unguarded = await synthVolumes(true);
    const f2 = join(unguarded, 'cdk.tf.json');
    const d2 = JSON.parse(readFileSync(f2, 'utf8'));
    d2.resource.docker_volume.postgres_data.labels.push({ label: 'io.temporal-ctl.test', value: 'changed' });
    writeFileSync(f2, JSON.stringify(d2));
    const saved = await terraformPlan(unguarded, io());
    assert.deepEqual(
      saved.plan.changes.map((c) => [c.name, c.action, c.forcedBy]),
      [[pgVolume(), 'replace', ['labels']]],
    );
    let asked = false;
    await assert.rejects(
      guardPlan(load().config, saved.plan, async () => void (asked = true), emit),
      new RegExp(`volume ${pgVolume()}`),
    );
    assert.equal(asked, false);
    assert.equal(readFileSync(stateFile(), 'utf8'), stateBefore);
    assert.equal(await onVolume(pgVolume(), 'cat /data/marker'), MARKER);
  });

  it("start's own planning step (whole stack) shows the plan as an event and reports the volume it keeps", async () => {
    events.length = 0;
    const planned = await planStack(load(), io(), emit);
    const shown = events.find((e) => e.type === 'planned') as { plan: ClusterPlan } | undefined;
    assert.deepEqual(shown?.plan, planned.plan);
    // The volume exists with the stack's labels: only the containers, images and network are new.
    assert.equal(
      planned.plan.changes.find((c) => c.kind === 'volume'),
      undefined,
      JSON.stringify(planned.plan.changes),
    );
    assert.ok(planned.plan.changes.some((c) => c.kind === 'service' && c.name === 'server' && c.action === 'create'));
    assert.equal(await onVolume(pgVolume(), 'cat /data/marker'), MARKER);
  });
});
