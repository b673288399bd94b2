// `temporal-ctl start` before it deploys: prerequisites (terraform, Docker, host ports) and the
// already-running no-op, through the built binary against a real Docker engine. The deploy itself
// (terraform apply through the real docker provider) is the e2e suite's job.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { CERT_FILES, CERTS_SUBDIR } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import { recordApplied } from '../../src/lifecycle/applied.js';
import {
  createStandIn,
  dockerTestEnv,
  freePortKeys,
  noStackTrace,
  removeProjects,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  trapped,
} from './docker-fixture.js';

const testEnv = await dockerTestEnv();
const SKIP = testEnv ? false : SKIP_MESSAGE;
const ctl = (args: string[], env: Record<string, string> = {}) => runCtl(args, { DOCKER_HOST: testEnv!.host, ...env });

describe('temporal-ctl start: prerequisites and the already-running no-op (real engine)', { skip: SKIP }, () => {
  let docker: Docker;
  let noTerraform: string; // a PATH with bash (zx needs it) and nothing else
  const projects: string[] = [];
  const dirs: string[] = [];
  const servers: Server[] = [];

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    noTerraform = await mkdtemp(join(tmpdir(), 'tctl-path-'));
    dirs.push(noTerraform);
    await symlink(execFileSync('bash', ['-c', 'command -v bash']).toString().trim(), join(noTerraform, 'bash'));
  });

  after(async () => {
    for (const s of servers) s.close();
    await removeProjects(docker, projects);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function project(extra: Record<string, string> = {}) {
    const p = await testProject({ ...(await freePortKeys()), ...extra });
    projects.push(p.project);
    dirs.push(p.dir);
    return p;
  }

  it('exits 1 naming terraform and how to install it when terraform is not on PATH', async () => {
    const { envFile } = await project();
    const r = await ctl(['--env-file', envFile, 'start'], { PATH: noTerraform });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /error: terraform is not installed \("terraform" was not found\): install terraform >= 1\.5 .*or put it on PATH/,
    );
    noStackTrace(r);
  });

  it('exits 1 naming the port and its config key when a host port is taken', async () => {
    const { envFile, config } = await project();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((ok) => server.listen(config.TEMPORAL_UI_PORT, '127.0.0.1', ok));
    const r = await ctl(['--env-file', envFile, 'start']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `port ${config.TEMPORAL_UI_PORT} on 127\\.0\\.0\\.1 \\(TEMPORAL_UI_PORT, Web UI of ui\\) is already in use: .*set TEMPORAL_UI_PORT to a free port`,
      ),
    );
    assert.doesNotMatch(r.stderr, /terraform/, 'only the missing prerequisite is named');
  });

  it('reports every missing prerequisite at once, and a port held by its own container is not one of them', async () => {
    const { envFile, config } = await project();
    await createStandIn(docker, testEnv!.testImage, config, {
      service: 'ui',
      ports: [config.TEMPORAL_UI_PORT],
      cmd: trapped('while true; do sleep 0.2; done'),
    });
    const server = createServer();
    servers.push(server);
    await new Promise<void>((ok) => server.listen(config.POSTGRES_PORT, '127.0.0.1', ok));
    const r = await ctl(['--env-file', envFile, 'start'], { PATH: noTerraform });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /2 prerequisites of start are missing:\n {2}- terraform is not installed.*\n {2}- port \d+ on 127\.0\.0\.1 \(POSTGRES_PORT/,
    );
    assert.doesNotMatch(r.stderr, new RegExp(`port ${config.TEMPORAL_UI_PORT}\\b`));
  });

  it('exits 1 with the one-sentence Docker message when the engine is unreachable', async () => {
    const { envFile } = await project();
    const r = await ctl(['--env-file', envFile, 'start'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /Docker engine is not reachable at unix:\/\/\/nonexistent\.sock: start Docker \(or set DOCKER_HOST\) and retry/,
    );
    noStackTrace(r);
  });

  it('with TEMPORAL_TLS on and no certificates, exits 2 naming each file and `certs create` before asking the engine anything', async () => {
    const { envFile, dir, config } = await project({ TEMPORAL_TLS: 'mtls' });
    // An engine that cannot answer: had start asked it (images, containers), the Docker message would come instead.
    const r = await ctl(['--env-file', envFile, 'start'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(r.code, 2, r.stderr);
    const certs = join(projectPaths(config, dir).stateDir, CERTS_SUBDIR);
    for (const [key, file] of [
      ['TEMPORAL_TLS_SERVER_CERT_PATH', CERT_FILES.serverCert],
      ['TEMPORAL_TLS_CLIENT_CA_CERT_PATH', CERT_FILES.ca],
      ['TEMPORAL_TLS_CLIENT_CERT_PATH', CERT_FILES.clientCert],
    ])
      assert.ok(
        r.stderr.includes(
          `${key}: cannot read "${join(certs, file!)}" (ENOENT); run \`temporal-ctl certs create\`, which writes it`,
        ),
        r.stderr,
      );
    assert.doesNotMatch(r.stderr, /Docker engine|pulling/);
    noStackTrace(r);
  });

  it("with a client key that is not its certificate's (after certs create), exits 2 naming the pair before asking the engine anything", async () => {
    const { envFile, dir, config } = await project({ TEMPORAL_TLS: 'mtls' });
    const created = await ctl(['--env-file', envFile, 'certs', 'create']);
    assert.equal(created.code, 0, created.stderr);
    const certs = join(projectPaths(config, dir).stateDir, CERTS_SUBDIR);
    const clientKey = join(certs, CERT_FILES.clientKey);
    await copyFile(join(certs, CERT_FILES.serverKey), clientKey);
    const r = await ctl(['--env-file', envFile, 'start'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(r.code, 2, r.stderr);
    assert.ok(
      r.stderr.includes(
        `TEMPORAL_TLS_CLIENT_KEY_PATH: "${clientKey}" is not the key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH ("${join(certs, CERT_FILES.clientCert)}")`,
      ),
      r.stderr,
    );
    assert.doesNotMatch(r.stderr, /Docker engine|pulling|PRIVATE KEY/);
    noStackTrace(r);
  });

  it('rejects a malformed --timeout with exit 2', async () => {
    const { envFile } = await project();
    const r = await ctl(['--env-file', envFile, 'start', '--timeout', 'soon']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"soon" is not a duration/);
  });

  it('is a fast no-op that runs no terraform when every container is already up with the configured image', async () => {
    const image = testEnv!.testImage;
    const images = Object.fromEntries(
      ['POSTGRES_IMAGE', 'TEMPORAL_SERVER_IMAGE', 'TEMPORAL_UI_IMAGE', 'TEMPORAL_ADMINTOOLS_IMAGE'].map((k) => [
        k,
        image,
      ]),
    );
    const { envFile, config } = await project(images);
    const loop = trapped('while true; do sleep 0.2; done');
    for (const service of ['postgresql', 'server', 'ui', 'admin-tools'] as const)
      await createStandIn(docker, image, config, { service, cmd: loop });
    const schema = await createStandIn(docker, image, config, { service: 'schema', cmd: ['true'] });
    await schema.wait();
    // terraform would be "missing": proves it is not run. --no-wait: the stand-ins hold no Temporal
    // server to ensure namespaces on (a waiting start does that on the fast path too).
    const r = await ctl(['--env-file', envFile, 'start', '--no-wait'], { PATH: noTerraform });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /is already running as configured: nothing to do/);
    assert.match(r.stdout, new RegExp(`gRPC\\s+127\\.0\\.0\\.1:${config.TEMPORAL_GRPC_PORT}`));
    assert.match(
      r.stdout,
      new RegExp(`PostgreSQL\\s+postgresql://temporal@127\\.0\\.0\\.1:${config.POSTGRES_PORT}/temporal$`, 'm'),
    );
    assert.doesNotMatch(r.stdout, /temporal:temporal@/, 'no password in the DSN');
    assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
  });

  /** Stand-ins of every enabled service on `image` (a reference or an id); the config names `ref` for all. */
  async function runningStack(ref: string, image: string) {
    const keys = ['POSTGRES_IMAGE', 'TEMPORAL_SERVER_IMAGE', 'TEMPORAL_UI_IMAGE', 'TEMPORAL_ADMINTOOLS_IMAGE'];
    const { envFile, config } = await project(Object.fromEntries(keys.map((k) => [k, ref])));
    const loop = trapped('while true; do sleep 0.2; done');
    for (const service of ['postgresql', 'server', 'ui', 'admin-tools'] as const)
      await createStandIn(docker, image, config, { service, cmd: loop });
    await (await createStandIn(docker, image, config, { service: 'schema', cmd: ['true'] })).wait();
    return { envFile, config };
  }

  it("is a no-op for containers created from the image id, as the stack's provider creates them", async () => {
    const id = (await docker.getImage(testEnv!.testImage).inspect()).Id;
    const { envFile, config } = await runningStack(testEnv!.testImage, id);
    const server = await docker.getContainer(`${config.TEMPORAL_PROJECT}-server`).inspect();
    assert.equal(server.Config.Image, id, 'the stand-ins were created by id');
    const r = await ctl(['--env-file', envFile, 'start', '--no-wait', '-o', 'json'], { PATH: noTerraform });
    assert.equal(r.code, 0, r.stderr);
    const events = (JSON.parse(r.stdout) as { events: { type: string }[] }).events.map((e) => e.type);
    assert.deepEqual(events, ['already-running', 'ready']);
  });

  it('is not a no-op when the config changed since the last apply (an edited temporal.env)', async () => {
    const { envFile } = await runningStack(testEnv!.testImage, testEnv!.testImage);
    const loaded = loadConfig({ envFile, env: {} });
    mkdirSync(projectPaths(loaded.config, loaded.projectDir).stateDir, { recursive: true });
    recordApplied(loaded);
    const same = await ctl(['--env-file', envFile, 'start', '--no-wait'], { PATH: noTerraform });
    assert.equal(same.code, 0, same.stderr);
    appendFileSync(envFile, '\nTEMPORAL_LOG_LEVEL=error\n');
    const r = await ctl(['--env-file', envFile, 'start', '--no-wait'], { PATH: noTerraform });
    assert.equal(r.code, 1, r.stderr); // went on to deploy, and terraform is "missing"
    assert.match(r.stderr, /its configuration changed since the last start: applying it/);
    assert.match(r.stderr, /terraform is not installed/);
  });

  it('is not a no-op when the configured reference now names another image (re-tagged after the containers were created)', async () => {
    const ref = `temporal-ctl-test/retagged:${randomBytes(4).toString('hex')}`;
    const [repo, tag] = ref.split(':') as [string, string];
    await docker.getImage(testEnv!.testImage).tag({ repo, tag });
    try {
      const { envFile, config } = await runningStack(ref, ref);
      // A new image under the same reference, as `docker load` of a new build does: commit makes a new id.
      const donor = docker.getContainer(`${config.TEMPORAL_PROJECT}-admin-tools`);
      await donor.commit({ repo, tag, changes: ['LABEL io.temporal-ctl.retagged=1'] });
      const r = await ctl(['--env-file', envFile, 'start', '--no-wait'], { PATH: noTerraform });
      assert.equal(r.code, 1, r.stderr); // went on to deploy, and terraform is "missing"
      assert.match(r.stderr, /terraform is not installed/);
      assert.doesNotMatch(r.stderr, /already running/);
    } finally {
      await docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });
});
