// `temporal-ctl images list|save|load` on a real Docker engine, with the test environment's tiny
// busybox image under the config's image keys: presence is read back from Docker, the saved tar
// is opened and its manifest checked, and a removed tag comes back through `images load`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { dockerOptions } from '../../src/docker/client.js';
import {
  dockerTestEnv,
  noStackTrace,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  type DockerTestEnv,
} from './docker-fixture.js';

const testEnv = await dockerTestEnv();
const SKIP = testEnv ? false : SKIP_MESSAGE;

interface ListJson {
  images: { image: string; services: string[]; present: boolean; id: string | null }[];
  missing: string[];
}

describe('images list/save/load on a real Docker engine', { skip: SKIP }, () => {
  let env: DockerTestEnv;
  let docker: Docker;
  const suffix = randomBytes(3).toString('hex');
  // A tag of busybox that only this run creates (and removes); the other keys name busybox itself.
  const own = `tctl-images-${suffix}/server:1`;
  const absent = `tctl-images-${suffix}/never-built:1`;
  let dirs: string[] = [];
  let envFile: string;
  let missingEnvFile: string;
  const ctl = (args: string[], file = envFile) => runCtl(['--env-file', file, ...args], { DOCKER_HOST: env.host });
  const tagExists = (ref: string) =>
    docker
      .getImage(ref)
      .inspect()
      .then(
        () => true,
        () => false,
      );

  before(async () => {
    env = testEnv!;
    docker = new Docker(dockerOptions({ DOCKER_HOST: env.host }));
    const [repo, tag] = own.split(':') as [string, string];
    await docker.getImage(env.testImage).tag({ repo, tag });
    const images = {
      POSTGRES_IMAGE: env.testImage,
      TEMPORAL_ADMINTOOLS_IMAGE: env.testImage,
      TEMPORAL_UI_IMAGE: env.testImage,
    };
    const mine = await testProject({ ...images, TEMPORAL_SERVER_IMAGE: own });
    const other = await testProject({ ...images, TEMPORAL_SERVER_IMAGE: absent });
    envFile = mine.envFile;
    missingEnvFile = other.envFile;
    dirs = [mine.dir, other.dir];
  });

  after(async () => {
    await docker
      ?.getImage(own)
      .remove()
      .catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('images list --json reports each required image with its services and the id Docker has', async () => {
    const r = await ctl(['images', 'list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ListJson;
    const busybox = await docker.getImage(env.testImage).inspect();
    assert.deepEqual(out.images.map((i) => i.image).sort(), [env.testImage, own].sort());
    const shared = out.images.find((i) => i.image === env.testImage)!;
    assert.equal(shared.present, true);
    assert.equal(shared.id, busybox.Id);
    assert.deepEqual(shared.services.sort(), ['admin-tools', 'postgresql', 'schema', 'ui']);
    assert.deepEqual(out.images.find((i) => i.image === own)!.services, ['server']);
    assert.deepEqual(out.missing, []);
  });

  it('images list marks an image the engine does not have as missing', async () => {
    const r = await ctl(['images', 'list', '--json'], missingEnvFile);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ListJson;
    assert.equal(await tagExists(absent), false);
    assert.deepEqual(out.missing, [absent]);
    assert.equal(out.images.find((i) => i.image === absent)!.present, false);
  });

  it('images save exits 1, names the missing image and the fix, and writes no file', async () => {
    const file = join(dirs[1]!, 'images.tar');
    const r = await ctl(['images', 'save', file], missingEnvFile);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`not on the Docker engine: ${absent.replace(/[/.]/g, '\\$&')}`));
    assert.match(r.stderr, new RegExp(`docker pull ${absent.replace(/[/.]/g, '\\$&')}`));
    noStackTrace(r);
    assert.equal(existsSync(file), false);
    assert.equal(existsSync(`${file}.partial`), false);
  });

  it('images save writes one tar holding every required image, and images load brings a removed tag back', async () => {
    const file = join(dirs[0]!, 'images.tar');
    const saved = await ctl(['images', 'save', file, '--json']);
    assert.equal(saved.code, 0, saved.stderr);
    // The tar is what `docker save` writes: its manifest lists both references.
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', file, 'manifest.json'], { encoding: 'utf8' })) as {
      RepoTags: string[] | null;
    }[];
    const tags = manifest.flatMap((m) => m.RepoTags ?? []);
    assert.ok(tags.includes(own), `manifest tags ${tags.join(', ')} include ${own}`);
    assert.ok(
      tags.some((t) => t === env.testImage || t === `docker.io/${env.testImage}`),
      `manifest tags include ${env.testImage}`,
    );

    await docker.getImage(own).remove();
    assert.equal(await tagExists(own), false);
    const before = JSON.parse((await ctl(['images', 'list', '--json'])).stdout) as ListJson;
    assert.deepEqual(before.missing, [own]);

    const loaded = await ctl(['images', 'load', file, '--json']);
    assert.equal(loaded.code, 0, loaded.stderr);
    const out = JSON.parse(loaded.stdout) as ListJson & { loaded: string[] };
    assert.ok(out.loaded.includes(own), `loaded ${out.loaded.join(', ')} includes ${own}`);
    assert.deepEqual(out.missing, []);
    assert.equal(await tagExists(own), true);
  });

  it('images load exits 1 and names the still-missing image when the tar lacks it', async () => {
    const file = join(dirs[0]!, 'images.tar');
    const r = await ctl(['images', 'load', file], missingEnvFile);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /loaded \d+ image\(s\)/);
    assert.match(r.stderr, new RegExp(`still missing: ${absent.replace(/[/.]/g, '\\$&')}`));
  });

  it('images load exits 2 when the file does not exist and 1 when it is not an image archive', async () => {
    const nowhere = await ctl(['images', 'load', join(dirs[0]!, 'no-such.tar')]);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /does not exist/);
    const junk = join(dirs[0]!, 'junk.tar');
    await writeFile(junk, 'this is not a tar\n');
    const bad = await ctl(['images', 'load', junk]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /docker load of .*junk\.tar failed/);
    noStackTrace(bad);
  });
});
