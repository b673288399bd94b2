// ensureImages (missing images pulled before start) against a real registry and a real engine: Debian's docker-registry
// (distribution 2.8) on a free loopback port, which dockerd pulls from over plain HTTP (127.0.0.0/8
// needs no insecure-registries entry). Images are pushed there with the docker CLI and removed
// locally, then pulled back through temporal-ctl; the engine is asked afterwards what it has.
// Only this run's tags (under the registry's random port) are created and removed.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { LABELS } from '../../src/model/names-and-endpoints.js';
import { dockerOptions } from '../../src/docker/client.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { ensureImages } from '../../src/lifecycle/ensure-images.js';
import { imageFor, requiredImages } from '../../src/model/service-facts.js';
import { isCI, loadTestEnv } from '../support/env.js';
import {
  dockerTestEnv,
  freePortKeys,
  noStackTrace,
  removeProjects,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  until,
} from './docker-fixture.js';
import { freePort } from '../support/free-ports.js';

const testEnv = await dockerTestEnv();
const registryBin =
  loadTestEnv()?.cli.registry || (existsSync('/usr/bin/docker-registry') ? '/usr/bin/docker-registry' : undefined);
if (testEnv && !registryBin && isCI()) throw new Error('docker-registry is missing: run `bash scripts/test-env up`');
const SKIP = !testEnv
  ? SKIP_MESSAGE
  : !registryBin
    ? 'docker-registry is missing: run `bash scripts/test-env up`'
    : false;

describe('missing images pulled from a real registry (docker-registry) and engine', { skip: SKIP }, () => {
  let docker: Docker;
  let registry: ChildProcess;
  let prefix: string; // 127.0.0.1:<port>/tctl-pull-<hex>
  const dirs: string[] = [];
  const projects: string[] = [];
  const servers: Server[] = [];
  const created = new Set<string>(); // every tag this run made, removed in after()
  const dockerCli = (args: string[], input?: Buffer) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: testEnv!.host }, input, stdio: 'pipe' });
  const present = (ref: string) =>
    docker
      .getImage(ref)
      .inspect()
      .then(
        (i) => i.Id,
        () => undefined,
      );

  /**
   * Pushes image under each ref to the registry, then removes those refs locally (the image stays in
   * the registry); with `dropSource` the source tag too, so its layers leave the engine.
   */
  async function publish(image: string, refs: string[], dropSource = false): Promise<void> {
    for (const ref of refs) {
      created.add(ref);
      dockerCli(['tag', image, ref]);
      dockerCli(['push', '--quiet', ref]);
    }
    for (const ref of dropSource ? [...refs, image] : refs) dockerCli(['rmi', ref]);
    for (const ref of refs) assert.equal(await present(ref), undefined, `${ref} is not on the engine before the pull`);
  }

  /** An image with a layer of its own (random bytes), so a pull really downloads it; returns its id. */
  async function uniqueImage(bytes: number): Promise<{ ref: string; id: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'tctl-pull-rootfs-'));
    dirs.push(dir);
    await writeFile(join(dir, 'blob'), randomBytes(bytes));
    const ref = `${prefix}/seed:${randomBytes(3).toString('hex')}`;
    created.add(ref);
    dockerCli(['import', '-', ref], execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 64 << 20 }));
    return { ref, id: (await present(ref))! };
  }

  async function project(extra: Record<string, string>) {
    const p = await testProject({ ...(await freePortKeys()), ...extra });
    projects.push(p.project);
    dirs.push(p.dir);
    return p;
  }

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'tctl-registry-'));
    dirs.push(dir);
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      [
        'version: 0.1',
        'log: { level: warn }',
        `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
        `http: { addr: "127.0.0.1:${port}" }`,
      ].join('\n'),
    );
    registry = spawn(registryBin!, ['serve', config], { stdio: 'ignore' });
    await until(
      'the registry to answer',
      () =>
        fetch(`http://127.0.0.1:${port}/v2/`).then(
          (r) => r.ok,
          () => false,
        ),
      15_000,
    );
    prefix = `127.0.0.1:${port}/tctl-pull-${randomBytes(3).toString('hex')}`;
  });

  after(async () => {
    await removeProjects(docker, projects);
    for (const ref of created)
      await docker
        .getImage(ref)
        .remove()
        .catch(() => undefined);
    registry?.kill();
    for (const s of servers) s.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('pulls every missing image onto the engine with progress events per image, and nothing once present', async () => {
    const { envFile } = await project({ TEMPORAL_IMAGE_REGISTRY: `${prefix}/a` });
    const loaded = loadConfig({ envFile, env: {} });
    const refs = requiredImages(loaded.config);
    const seed = await uniqueImage(4_000_000);
    await publish(seed.ref, refs, true);

    const events: LifecycleEvent[] = [];
    const options = { env: { DOCKER_HOST: testEnv!.host }, timeoutMs: 120_000, untouched: 'nothing changed' };
    await ensureImages(loaded, options, (e) => events.push(e));

    for (const ref of refs) assert.equal(await present(ref), seed.id, `the engine has ${ref} as pushed`);
    const checked = events.find((e) => e.type === 'images-checked');
    assert.deepEqual(checked && [...checked.missing].sort(), [...refs].sort());
    const pulls = events.flatMap((e) => (e.type === 'image-pull' ? [e.progress] : []));
    for (const ref of refs) {
      const mine = pulls.filter((p) => p.ref === ref);
      assert.equal(mine[0]?.phase, 'pulling', `${ref}: first event`);
      assert.equal(mine.at(-1)?.phase, 'pulled', `${ref}: last event`);
    }
    // The layer is downloaded once (the engine shares it between the four pulls) and counted there.
    assert.ok(Math.max(...pulls.map((p) => p.total)) >= 4_000_000, 'the downloaded bytes were counted');

    const again: LifecycleEvent[] = [];
    await ensureImages(loaded, options, (e) => again.push(e));
    assert.deepEqual(again, [{ type: 'images-checked', present: refs, missing: [] }]);
  });

  it('start exits 1 before terraform on a misspelled TEMPORAL_VERSION, naming the images and the key; nothing pulled or created', async () => {
    const good = await project({ TEMPORAL_IMAGE_REGISTRY: `${prefix}/b` });
    const inRegistry = [imageFor(good.config, 'postgresql'), imageFor(good.config, 'ui')];
    await publish(testEnv!.testImage, inRegistry);
    const version = `${good.config.TEMPORAL_VERSION}9`;
    const typo = await project({ TEMPORAL_IMAGE_REGISTRY: `${prefix}/b`, TEMPORAL_VERSION: version });

    const r = await runCtl(['--env-file', typo.envFile, 'start', '--timeout', '60s'], { DOCKER_HOST: testEnv!.host });

    assert.equal(r.code, 1, r.stderr);
    for (const [image, key] of [
      ['server', 'TEMPORAL_SERVER_IMAGE'],
      ['admin-tools', 'TEMPORAL_ADMINTOOLS_IMAGE'],
    ])
      assert.match(
        r.stderr,
        new RegExp(
          `image ${prefix}/b/temporalio/${image}:${version} \\(${key}, from TEMPORAL_IMAGE_REGISTRY and TEMPORAL_VERSION\\) cannot be pulled: manifest unknown; check TEMPORAL_IMAGE_REGISTRY and TEMPORAL_VERSION`.replace(
            /\./g,
            '\\.',
          ),
        ),
      );
    assert.match(r.stderr, /`temporal-ctl images load FILE`/);
    assert.match(r.stderr, /hint: nothing was changed: start stopped before terraform ran/);
    noStackTrace(r);
    // Terraform never ran: no synthesized stack, no state, no container of the project.
    const paths = projectPaths(typo.config, typo.dir);
    assert.equal(existsSync(paths.stackDir), false, 'nothing was synthesized');
    assert.equal(existsSync(paths.stateFile), false, 'no Terraform state');
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.project}=${typo.project}`] },
    });
    assert.deepEqual(containers, []);
    // The registry refused two references, so not even the two it has were pulled.
    for (const ref of inRegistry) assert.equal(await present(ref), undefined, `${ref} was not pulled`);
  });

  it('images pull prints plain per-image lines in CI and leaves the images on the engine', async () => {
    const { envFile, config } = await project({
      TEMPORAL_IMAGE_REGISTRY: `${prefix}/c`,
      TEMPORAL_SERVER_IMAGE: testEnv!.testImage,
      TEMPORAL_ADMINTOOLS_IMAGE: testEnv!.testImage,
    });
    const missing = [imageFor(config, 'postgresql'), imageFor(config, 'ui')];
    await publish(testEnv!.testImage, missing);

    const r = await runCtl(['--env-file', envFile, 'images', 'pull'], { DOCKER_HOST: testEnv!.host, CI: 'true' });

    assert.equal(r.code, 0, r.stderr);
    for (const ref of missing) {
      assert.ok(await present(ref), `the engine has ${ref}`);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith(`${ref}: `));
      assert.equal(lines[0], `${ref}: Pulling`);
      assert.match(lines.at(-1)!, /: Pulled .*in \d+\.\ds$/);
    }
    assert.match(r.stdout, /pulled 2 image\(s\)/);
  });

  it('images pull exits 1 naming an unreachable registry, and --timeout bounds one that never answers', async () => {
    const closed = await freePort();
    const refused = await project({ TEMPORAL_IMAGE_REGISTRY: `127.0.0.1:${closed}/x` });
    const r = await runCtl(['--env-file', refused.envFile, 'images', 'pull'], { DOCKER_HOST: testEnv!.host });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `image 127\\.0\\.0\\.1:${closed}/x/postgres:\\S+ \\(POSTGRES_IMAGE, from TEMPORAL_IMAGE_REGISTRY and POSTGRESQL_VERSION\\) cannot be pulled: .*connection refused`,
      ),
    );
    noStackTrace(r);

    // Accepts connections and never answers: the engine would wait 25 s for it on its own.
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const port = (silent.address() as { port: number }).port;
    const hung = await project({ TEMPORAL_IMAGE_REGISTRY: `127.0.0.1:${port}/x` });
    const h = await runCtl(['--env-file', hung.envFile, 'images', 'pull', '--timeout', '2s'], {
      DOCKER_HOST: testEnv!.host,
    });
    assert.equal(h.code, 1, h.stderr);
    assert.match(h.stderr, /error: pulling .* did not finish within --timeout 2s: check that the registry answers/);
    assert.ok(h.ms < 10_000, `ended after ${h.ms} ms`);
  });
});
