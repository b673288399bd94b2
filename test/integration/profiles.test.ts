// Two profiles of one project share their Docker names (`<project>-<service>`, the volumes), so a
// second profile must never adopt or act on the first one's containers and volumes. Stand-ins: a
// busybox container and a volume carrying the development stack's labels (no deploy is needed for
// the guard), driven through the built binary against the real engine.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { LABELS, stackName } from '../../src/model/names-and-endpoints.js';
import { loadConfig } from '../../src/project/load.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import { volumeName } from '../../src/model/service-facts.js';
import {
  createStackVolume,
  createStandIn,
  dockerTestEnv,
  removeProjects,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  trapped,
} from './docker-fixture.js';
import { cliEnv, json, spawnCli, tail } from '../support/cli.js';
import { buildProvider, providerPin } from '../e2e/provision.js';
import { requireTestEnv } from '../support/env.js';

const testEnv = await dockerTestEnv();
const SKIP = testEnv ? false : SKIP_MESSAGE;

describe('profiles of one project never share containers or volumes (real engine)', { skip: SKIP }, () => {
  let docker: Docker;
  let dev: ClusterConfig;
  let envFile: string;
  let dir: string;
  let devContainerId: string;
  let devVolume: string;
  const ctl = (profile: string, ...args: string[]) =>
    runCtl(['--env-file', envFile, '--profile', profile, ...args], { DOCKER_HOST: testEnv!.host });
  /** What the engine holds of the development stack: the container's id and state, the volume's stack label. */
  const devState = async () => ({
    container: await docker
      .getContainer(devContainerId)
      .inspect()
      .then((i) => `${i.Id} ${i.State.Status}`),
    volume: await docker
      .getVolume(devVolume)
      .inspect()
      .then((v) => v.Labels?.[LABELS.stack]),
  });

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    // POSTGRES_PASSWORD: production requires one; the same file serves both profiles.
    ({
      config: dev,
      envFile,
      dir,
    } = await testProject({ ...providerPin(requireTestEnv()), POSTGRES_PASSWORD: 'secret' }));
    devVolume = await createStackVolume(docker, dev);
    const container = await createStandIn(docker, testEnv!.testImage, dev, {
      service: 'postgresql',
      volume: true,
      cmd: trapped('echo development-marker; while true; do sleep 0.2; done'),
    });
    devContainerId = container.id;
  });

  after(async () => {
    await removeProjects(docker, [dev.TEMPORAL_PROJECT]);
    await rm(dir, { recursive: true, force: true });
  });

  it('start --profile production refuses with exit 2 naming the deployed profile and the commands; development is untouched', async () => {
    const before = await devState();
    const r = await ctl('production', 'start', '--timeout', '30s');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /profile development of project tctl-dk-\w+ is deployed/);
    assert.match(r.stderr, new RegExp(`${dev.TEMPORAL_PROJECT}-postgresql`));
    assert.match(r.stderr, /temporal-ctl down --profile development`/);
    assert.match(r.stderr, /--volumes` deletes them/);
    assert.match(r.stderr, /own TEMPORAL_PROJECT/);
    assert.deepEqual(await devState(), before);
    assert.equal(before.container.endsWith('running'), true);
    assert.equal(before.volume, stackName(dev));
  });

  it('plan --profile production warns that start would refuse, naming development (real terraform and provider)', async () => {
    const rc = await buildProvider(envFile, cliEnv({ DOCKER_HOST: testEnv!.host }));
    const tfEnv = cliEnv({ TF_CLI_CONFIG_FILE: rc, DOCKER_HOST: testEnv!.host, CHECKPOINT_DISABLE: '1' });
    const before = await devState();
    const r = await spawnCli(['--env-file', envFile, '--profile', 'production', 'plan', '-o', 'json'], {
      env: tfEnv,
      timeoutMs: 180_000,
    });
    assert.equal(r.code, 0, tail(r));
    const doc = json<{ warnings: string[] }>(r);
    assert.ok(
      doc.warnings.some((w) =>
        /^`temporal-ctl start` would refuse: profile development of project tctl-dk-\w+ is deployed/.test(w),
      ),
      doc.warnings.join('\n'),
    );
    assert.deepEqual(await devState(), before);
  });

  it('stop, logs, status and down --volumes of production leave development alone', async () => {
    const before = await devState();
    const stop = await ctl('production', 'stop');
    assert.equal(stop.code, 0, stop.stderr);
    const logs = await ctl('production', 'logs', '--tail', '5');
    assert.doesNotMatch(logs.stdout, /development-marker/);
    const status = await ctl('production', 'status', '-o', 'json');
    const doc = JSON.parse(status.stdout) as { stack: string; services: { container: unknown }[] };
    assert.equal(doc.stack, `${dev.TEMPORAL_PROJECT}-production`);
    assert.ok(
      doc.services.every((s) => s.container === null),
      status.stdout,
    );
    assert.match(status.stderr, /profile development of this project runs/);
    const down = await ctl('production', 'down', '--volumes', '--yes');
    assert.equal(down.code, 0, down.stderr);
    assert.doesNotMatch(down.stdout + down.stderr, new RegExp(devVolume));
    assert.deepEqual(await devState(), before);
  });

  it('after down of development its kept volumes still refuse production, and down --volumes of development deletes only its own', async () => {
    const down = await ctl('development', 'down');
    assert.equal(down.code, 0, down.stderr);
    await assert.rejects(docker.getContainer(devContainerId).inspect(), /no such container/i);
    const r = await ctl('production', 'start', '--timeout', '30s');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the volumes of profile development of project tctl-dk-\w+ exist/);
    assert.match(r.stderr, /temporal-ctl down --profile development --volumes`/);
    assert.equal((await docker.getVolume(devVolume).inspect()).Labels?.[LABELS.stack], stackName(dev));
    // A volume of the production profile under another name is not development's to delete.
    const prod = loadConfig({ envFile, env: { TEMPORAL_PROFILE: 'production' } }).config;
    const prodOnly = `${volumeName(prod, 'postgresql')}-extra`;
    await docker.createVolume({
      Name: prodOnly,
      Labels: { [LABELS.project]: prod.TEMPORAL_PROJECT, [LABELS.stack]: stackName(prod) },
    });
    const gone = await ctl('development', 'down', '--volumes', '--yes');
    assert.equal(gone.code, 0, gone.stderr);
    await assert.rejects(docker.getVolume(devVolume).inspect(), /no such volume/i);
    await docker.getVolume(prodOnly).inspect(); // production's own volume is kept
  });
});
