// `temporal-ctl status` in container mode: stand-in containers carrying the stack's
// labels on the real Docker engine (test image of the test env), while the probes
// reach the test env's real PostgreSQL, Temporal server and UI. Container state and
// probe must both be good for a service to count as healthy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { cliEnv, spawnCli } from '../support/cli.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { loadTestEnv } from '../support/env.js';
import { createStandIn, removeProjects, testProject, trapped, until } from './docker-fixture.js';

const testEnv = loadTestEnv();
const SKIP = testEnv?.docker ? false : 'test environment (with Docker) is not up: run `bash scripts/test-env up`';
const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');

/** The ports and credentials of the test env's services, so the probes hit real services. */
function servicePorts(): Record<string, string> {
  const text = readFileSync(resolve(PROJECT_ROOT, '.test-env/temporal.env'), 'utf8');
  const keep =
    /^(TEMPORAL_GRPC_PORT|TEMPORAL_HTTP_PORT|TEMPORAL_UI_PORT|POSTGRES_PORT|POSTGRES_USER|POSTGRES_PASSWORD)=(.*)$/;
  return Object.fromEntries(
    text.split('\n').flatMap((l) => {
      const m = keep.exec(l);
      return m ? [[m[1]!, m[2]!]] : [];
    }),
  );
}

async function status(envFile: string): Promise<{ code: number | null; doc: StatusDocument; stderr: string }> {
  const r = await spawnCli(['--env-file', envFile, 'status', '--json'], {
    bin: BIN,
    env: cliEnv({ DOCKER_HOST: testEnv!.docker!.host }),
  });
  return { code: r.code, doc: JSON.parse(r.stdout) as StatusDocument, stderr: r.stderr };
}

describe("temporal-ctl status with the stack's containers (real Docker engine)", { skip: SKIP }, () => {
  let docker: Docker;
  let project: { project: string; config: ClusterConfig; envFile: string; dir: string };
  const containers = new Map<string, Docker.Container>();

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.docker!.host }));
    project = await testProject(servicePorts());
    const image = testEnv!.docker!.testImage;
    for (const service of ['postgresql', 'server', 'ui', 'admin-tools'] as const) {
      containers.set(
        service,
        await createStandIn(docker, image, project.config, { service, cmd: trapped('while true; do sleep 1; done') }),
      );
    }
    const schema = await createStandIn(docker, image, project.config, { service: 'schema', cmd: ['true'] });
    await until('the schema stand-in to exit', async () => (await schema.inspect()).State.Status === 'exited');
  });
  after(async () => {
    if (docker && project) await removeProjects(docker, [project.project]);
    if (project) await rm(project.dir, { recursive: true, force: true });
  });

  it('exits 0 with every container up and every probe healthy, schema job included', async () => {
    const r = await status(project.envFile);
    assert.equal(r.code, 0, r.stderr + JSON.stringify(r.doc, null, 2));
    assert.equal(r.doc.mode, 'containers');
    assert.deepEqual(
      r.doc.services.map((s) => [s.service, s.container?.state, s.healthy]),
      [
        ['postgresql', 'running', true],
        ['schema', 'exited', true],
        ['server', 'running', true],
        ['ui', 'running', true],
        ['admin-tools', 'running', true],
      ],
    );
  });

  it('exits 1 and names server when its container is stopped, although its port still answers', async () => {
    await containers.get('server')!.stop({ t: 5 });
    const r = await status(project.envFile);
    assert.equal(r.code, 1);
    const bad = r.doc.services.filter((s) => !s.healthy);
    assert.deepEqual(
      bad.map((s) => s.service),
      ['server'],
    );
    assert.match(bad[0]!.detail, /^container is exited \(exit code 0\): see `temporal-ctl logs server`; SERVING/);
    await containers.get('server')!.start();
  });

  it('exits 1 and reports the restart count of a crash-looping container', async () => {
    await containers.get('admin-tools')!.remove({ force: true });
    const looping = await createStandIn(docker, testEnv!.docker!.testImage, project.config, {
      service: 'admin-tools',
      cmd: ['sh', '-c', 'exit 3'],
      restart: 'always',
    });
    containers.set('admin-tools', looping);
    // Docker's restart backoff doubles from 100 ms: after the 5th restart the container waits
    // over 3 s in "restarting" (the state a person sees in a crash loop) before it runs again.
    await until(
      'five restarts, now in backoff',
      async () => {
        const info = await looping.inspect();
        return info.RestartCount >= 5 && info.State.Restarting;
      },
      30_000,
    );
    const r = await status(project.envFile);
    assert.equal(r.code, 1);
    const admin = r.doc.services.find((s) => s.service === 'admin-tools')!;
    assert.equal(admin.healthy, false);
    assert.ok(admin.container!.restartCount > 0);
    assert.match(admin.detail, /^container is (restarting|exited)( \(exit code 3\))?, restarted \d+ times/);
  });
});
