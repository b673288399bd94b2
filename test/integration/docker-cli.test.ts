// The Docker side of temporal-ctl on a real engine: stand-in busybox containers carrying the
// stack's labels (test project tctl-dk-<random>), driven through the built binary (spawned,
// real argv, real exit codes) and read back from Docker with dockerode.
import assert from 'node:assert/strict';
import { SERVICES } from '../../src/model/service-facts.js';
import { rm } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { stackName } from '../../src/model/names-and-endpoints.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import { isUp, listStackContainers, startStack } from '../../src/docker/containers.js';
import {
  createStackVolume,
  createStandIn,
  dockerTestEnv,
  noStackTrace,
  removeProjects,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  trapped,
  until,
  type DockerTestEnv,
  type OnStdout,
} from './docker-fixture.js';

const testEnv = await dockerTestEnv();
const SKIP = testEnv ? false : SKIP_MESSAGE;

const ctl = (args: string[], env: Record<string, string> = {}, onStdout?: OnStdout) =>
  runCtl(args, { DOCKER_HOST: testEnv!.host, ...env }, onStdout);

describe('Docker operations on stand-in containers (real engine)', { skip: SKIP }, () => {
  let env: DockerTestEnv;
  let docker: Docker;
  let c: ClusterConfig;
  let other: ClusterConfig;
  let envFile: string;
  let dirs: string[] = [];
  const byService = async (config = c) =>
    new Map((await listStackContainers(config, { DOCKER_HOST: env.host })).map((x) => [x.service, x]));

  before(async () => {
    env = testEnv!;
    docker = new Docker(dockerOptions({ DOCKER_HOST: env.host }));
    const mine = await testProject();
    const theirs = await testProject();
    ({ config: c, envFile } = mine);
    other = theirs.config;
    dirs = [mine.dir, theirs.dir];
    await createStackVolume(docker, c);
    await createStackVolume(docker, other);
    const image = env.testImage;
    await createStandIn(docker, image, c, { service: 'schema', cmd: ['true'] });
    await createStandIn(docker, image, c, {
      service: 'postgresql',
      volume: true,
      cmd: trapped(
        'echo boot-marker; i=0; while true; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.3; done',
      ),
    });
    await createStandIn(docker, image, c, {
      service: 'server',
      healthcheck: 'true',
      cmd: trapped('echo server-up; while true; do sleep 0.2; done'),
    });
    await createStandIn(docker, image, c, {
      service: 'admin-tools',
      healthcheck: 'false',
      cmd: trapped('while true; do sleep 0.2; done'),
    });
    await createStandIn(docker, image, c, {
      service: 'ui',
      restart: 'always',
      cmd: ['sh', '-c', 'echo crashing; exit 1'],
    });
    await createStandIn(docker, image, c, {
      service: 'server',
      foreignProject: other,
      cmd: trapped('while true; do sleep 0.2; done'),
    });
    await until('health checks and a few crash-loop restarts', async () => {
      const s = await byService();
      return (
        s.get('server')?.health === 'healthy' &&
        s.get('admin-tools')?.health === 'unhealthy' &&
        (s.get('ui')?.restartCount ?? 0) >= 2
      );
    });
  });

  after(async () => {
    await removeProjects(docker, [c.TEMPORAL_PROJECT, other.TEMPORAL_PROJECT]);
    for (const d of [...dirs, join(PROJECT_ROOT, 'cdktf.out', 'stacks', stackName(c))])
      await rm(d, { recursive: true, force: true });
  });

  it('lists exactly the containers carrying the project and stack labels, in start order, with state and health', async () => {
    const list = await listStackContainers(c, { DOCKER_HOST: env.host });
    assert.deepEqual(
      list.map((x) => x.service),
      ['postgresql', 'schema', 'server', 'ui', 'admin-tools'],
    );
    assert.ok(
      list.every((x) => x.name.startsWith(`${c.TEMPORAL_PROJECT}-`)),
      "the other project's container is not listed",
    );
    const s = await byService();
    assert.equal(s.get('postgresql')!.state, 'running');
    assert.equal(s.get('schema')!.state, 'exited');
    assert.equal(s.get('schema')!.exitCode, 0);
    assert.equal(isUp(s.get('schema')!), true, 'a schema job that exited 0 counts as up');
    assert.equal(s.get('server')!.health, 'healthy');
    assert.equal(s.get('admin-tools')!.health, 'unhealthy');
    assert.equal(isUp(s.get('admin-tools')!), false);
  });

  it('reports a crash-looping container as restarting with its restart count, never as up', async () => {
    // Between restarts Docker's back-off keeps it in "restarting" almost all the time.
    const ui = await until('the ui stand-in in restarting state', async () => {
      const x = (await byService()).get('ui');
      return x?.state === 'restarting' ? x : undefined;
    });
    assert.ok(ui.restartCount >= 2, `restartCount ${ui.restartCount}`);
    assert.equal(ui.exitCode, 1, 'the last exit code is kept');
    assert.equal(isUp(ui), false);
  });

  it('logs --tail prints the last lines of both streams with the service prefix', async () => {
    const r = await ctl(['--env-file', envFile, 'logs', 'postgres', '--tail', '4']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4, r.stdout);
    assert.ok(
      lines.every((l) => l.startsWith('postgresql | ')),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => /\| out \d+$/.test(l)) && lines.some((l) => /\| err \d+$/.test(l)),
      'stdout and stderr lines both shown',
    );
  });

  it('logs of all services interleave with prefixes padded to one width', async () => {
    const r = await ctl(['--env-file', envFile, 'logs', '--tail', '2']);
    assert.equal(r.code, 0, r.stderr);
    const prefixes = new Set(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.slice(0, l.indexOf('| ') + 2)),
    );
    assert.ok(
      [...prefixes].some((p) => p.startsWith('server ')) && [...prefixes].some((p) => p.startsWith('ui ')),
      [...prefixes].join(','),
    );
    assert.equal(
      new Set([...prefixes].map((p) => p.length)).size,
      1,
      `prefix widths differ: ${[...prefixes].join(',')}`,
    );
    assert.match(r.stdout, /^ui\s+\| crashing$/m);
  });

  it('logs --since leaves out lines older than the window', async () => {
    await new Promise((r) => setTimeout(r, 2_500)); // boot-marker is now older than 2s (the only fixed wait: it tests a time window)
    const all = await ctl(['--env-file', envFile, 'logs', 'postgresql']);
    const recent = await ctl(['--env-file', envFile, 'logs', 'postgresql', '--since', '1s']);
    assert.equal(recent.code, 0, recent.stderr);
    assert.match(all.stdout, /boot-marker/);
    assert.doesNotMatch(recent.stdout, /boot-marker/);
    assert.match(recent.stdout, /\| out \d+/);
  });

  it('logs --follow streams new lines and ends with exit 0 on Ctrl-C (SIGINT)', async () => {
    let signalled = 0;
    const started = Date.now();
    const r = await ctl(['--env-file', envFile, 'logs', 'postgresql', '--follow', '--tail', '0'], {}, (text, child) => {
      if (!signalled && text.split('\n').length > 3) {
        signalled = Date.now();
        child.kill('SIGINT');
      }
    });
    assert.ok(signalled > 0, 'new lines arrived while following');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - signalled < 3_000, 'exits promptly after SIGINT');
    assert.ok(Date.now() - started < 15_000);
  });

  it('reaches the engine through DOCKER_HOST=tcp://HOST:PORT (a local TCP relay to the socket)', async (t) => {
    if (!env.host.startsWith('unix://')) return t.skip('the test engine is not on a unix socket');
    const relay = createServer((client) => {
      const upstream = connect(env.host.slice('unix://'.length));
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((ok) => relay.listen(0, '127.0.0.1', ok));
    try {
      const port = (relay.address() as AddressInfo).port;
      const r = await ctl(['--env-file', envFile, 'logs', 'ui', '--tail', '1'], {
        DOCKER_HOST: `tcp://127.0.0.1:${port}`,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ui \| crashing$/m);
    } finally {
      relay.close();
    }
  });

  it('restart of an unknown service exits 2 and lists the valid names', async () => {
    const r = await ctl(['--env-file', envFile, 'restart', 'bogus']);
    assert.equal(r.code, 2);
    // Every service of the model, in its order (derived: a new service must not break this test).
    assert.match(
      r.stderr,
      new RegExp(
        `unknown service "bogus": use one of ${SERVICES.join(', ')}, or an instance such as history-2 \\(aliases: `,
      ),
    );
  });

  it('restart server (alias temporal) restarts only that container', async () => {
    const before = await docker.getContainer(`${c.TEMPORAL_PROJECT}-server`).inspect();
    const pgBefore = await docker.getContainer(`${c.TEMPORAL_PROJECT}-postgresql`).inspect();
    const r = await ctl(['--env-file', envFile, 'restart', 'temporal']);
    assert.equal(r.code, 0, r.stderr);
    const afterInfo = await docker.getContainer(`${c.TEMPORAL_PROJECT}-server`).inspect();
    assert.ok(afterInfo.State.Running);
    assert.notEqual(afterInfo.State.StartedAt, before.State.StartedAt);
    const pgAfter = await docker.getContainer(`${c.TEMPORAL_PROJECT}-postgresql`).inspect();
    assert.equal(pgAfter.State.StartedAt, pgBefore.State.StartedAt);
  });

  it('stop stops every container of the stack, keeps the volume and leaves other projects alone; startStack resumes', async () => {
    const r = await ctl(['--env-file', envFile, 'stop']);
    assert.equal(r.code, 0, r.stderr);
    const s = await byService();
    for (const service of ['postgresql', 'server', 'admin-tools', 'ui'] as const)
      assert.equal(s.get(service)!.state, 'exited', service);
    assert.equal((await docker.getContainer(`${other.TEMPORAL_PROJECT}-server`).inspect()).State.Running, true);
    await docker.getVolume(`${c.TEMPORAL_PROJECT}-postgres-data`).inspect(); // still there
    const again = await ctl(['--env-file', envFile, 'stop']);
    assert.match(again.stdout, /nothing to stop/);
    const resumed = await startStack(c, { DOCKER_HOST: env.host });
    assert.ok(
      resumed.includes(`${c.TEMPORAL_PROJECT}-postgresql`) && !resumed.includes(`${c.TEMPORAL_PROJECT}-schema`),
      resumed.join(','),
    );
    assert.equal((await byService()).get('postgresql')!.state, 'running');
  });

  it('a Docker engine that is not reachable gives exit 1 and one sentence, no stack trace', async () => {
    for (const args of [['stop'], ['logs'], ['restart'], ['down']]) {
      const r = await ctl(['--env-file', envFile, ...args], { DOCKER_HOST: 'unix:///nonexistent.sock' });
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /error: Docker engine is not reachable at unix:\/\/\/nonexistent\.sock: start Docker \(or set DOCKER_HOST\) and retry/,
      );
      noStackTrace(r);
    }
  });

  it('down --volumes without --yes and without a terminal exits 2 and removes nothing', async () => {
    const r = await ctl(['--env-file', envFile, 'down', '--volumes']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `refusing to delete the data volumes of stack ${c.TEMPORAL_PROJECT}-development without confirmation: stdin is not a terminal, so pass --yes`,
      ),
    );
    assert.match(r.stderr, new RegExp(`${c.TEMPORAL_PROJECT}-postgres-data`), 'says which volume would be lost');
    await docker.getVolume(`${c.TEMPORAL_PROJECT}-postgres-data`).inspect();
    assert.equal((await byService()).size, 5, 'containers untouched');
  });

  it("down removes the containers and keeps the volume; down --volumes --yes deletes only this stack's volume", async () => {
    const r = await ctl(['--env-file', envFile, 'down']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await byService()).size, 0);
    assert.match(r.stdout, /kept volumes: .*postgres-data/);
    await docker.getVolume(`${c.TEMPORAL_PROJECT}-postgres-data`).inspect();
    const gone = await ctl(['--env-file', envFile, 'down', '--volumes', '--yes']);
    assert.equal(gone.code, 0, gone.stderr);
    await assert.rejects(docker.getVolume(`${c.TEMPORAL_PROJECT}-postgres-data`).inspect(), /no such volume/i);
    await docker.getVolume(`${other.TEMPORAL_PROJECT}-postgres-data`).inspect(); // the other project's data is untouched
    assert.equal((await byService(other)).size, 1);
  });
});
