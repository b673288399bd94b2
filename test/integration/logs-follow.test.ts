// `logs --follow` follows a service, not one container: across a restart (same container, new
// run) and a recreation (same name, new id), on the real engine, with a busybox stand-in carrying
// the stack's labels (the test environment's image; no PostgreSQL image is needed to produce lines).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import { cliEnv, ctlBinary } from '../support/cli.js';
import {
  createStandIn,
  dockerTestEnv,
  removeProjects,
  SKIP_MESSAGE,
  testProject,
  trapped,
  until,
  type DockerTestEnv,
} from './docker-fixture.js';

const testEnv = await dockerTestEnv();

/** Counts its runs in the container's own filesystem, so every line says which run wrote it. */
const talker = (generation: number) =>
  trapped(
    `n=$(($(cat /tmp/runs 2>/dev/null || echo 0) + 1)); echo $n > /tmp/runs; i=0; ` +
      `while true; do echo "gen ${generation} run $n line $i"; i=$((i+1)); sleep 0.2; done`,
  );

describe('logs --follow across restarts and recreations (real engine)', {
  skip: testEnv ? false : SKIP_MESSAGE,
}, () => {
  let env: DockerTestEnv;
  let docker: Docker;
  let c: ClusterConfig;
  let envFile: string;
  let dir: string;

  before(async () => {
    env = testEnv!;
    docker = new Docker(dockerOptions({ DOCKER_HOST: env.host }));
    ({ config: c, envFile, dir } = await testProject());
    await createStandIn(docker, env.testImage, c, { service: 'postgresql', cmd: talker(1) });
  });

  after(async () => {
    if (c) await removeProjects(docker, [c.TEMPORAL_PROJECT]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows lines of the restarted run and of the recreated container, with a note each; Ctrl-C ends it', async (t) => {
    const child = spawn(
      process.execPath,
      [ctlBinary(), '--env-file', envFile, 'logs', 'postgresql', '-f', '--tail', '1'],
      {
        env: cliEnv({ DOCKER_HOST: env.host }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((ok) => child.on('close', ok));
    const shows = (text: string) =>
      until(`"${text}" in the output`, async () => stdout.includes(text), 20_000).catch((error: Error) => {
        throw new Error(`${error.message}\nstdout:\n${stdout.slice(-600)}\nstderr:\n${stderr}`);
      });
    try {
      await shows('gen 1 run 1 line');
      await docker.getContainer(`${c.TEMPORAL_PROJECT}-postgresql`).restart({ t: 2 });
      await shows('gen 1 run 2 line');
      assert.match(stderr, /postgresql \| \[temporal-ctl\] container restarted; following it again/);

      await docker.getContainer(`${c.TEMPORAL_PROJECT}-postgresql`).remove({ force: true });
      await createStandIn(docker, env.testImage, c, { service: 'postgresql', cmd: talker(2) });
      await shows('gen 2 run 1 line');
      assert.match(stderr, /postgresql \| \[temporal-ctl\] container replaced \([0-9a-f]{12}\); following the new one/);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
    t.diagnostic(`stderr:\n${stderr}`);
    assert.equal(stderr.match(/container restarted/g)?.length, 1, 'one note per restart');
    const lines = stdout.trimEnd().split('\n');
    assert.ok(
      lines.every((l) => /^postgresql \| gen \d run \d line \d+$/.test(l)),
      `only the service's lines on stdout:\n${stdout}`,
    );
    const seen = lines.map((l) => l.replace(/^postgresql \| /, ''));
    assert.equal(new Set(seen).size, seen.length, 'no line is shown twice after re-attaching');
  });
});
