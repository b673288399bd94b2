// A password with Terraform's template syntax (`${`, `%{`) reaches the container as written, with
// real terraform and the real kreuzwerker/docker provider (the e2e's mirror) on the real engine.
// The stack is synthesized as `start` does it and cut down to what PostgreSQL needs (its image,
// the network, its volume, its container), exactly as synthesized. Stand-ins: the busybox test
// image runs the container for the env check (no PostgreSQL image can be pulled here; its
// healthcheck and command are replaced, the env is not); the login check uses the e2e's
// PostgreSQL stand-in image (scripts/build-e2e-images), which it builds when it is missing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import pg from 'pg';
import { LABELS } from '../../src/model/names-and-endpoints.js';
import { loadConfig } from '../../src/project/load.js';
import { synthesize } from '../../src/deploy/synth.js';
import { dockerOptions } from '../../src/docker/client.js';
import { cliEnv } from '../support/cli.js';
import { requireTestEnv } from '../support/env.js';
import { buildImages, buildProvider, E2E_REGISTRY, providerPin, writeEnvFile } from '../e2e/provision.js';
import { dockerTestEnv, removeProjects, SKIP_MESSAGE, testProject } from './docker-fixture.js';
import { freePort } from '../support/free-ports.js';

const run = promisify(execFile);
const testEnv = await dockerTestEnv();
const PASSWORD = 'p${x}%{y}';
/** The e2e's PostgreSQL stand-in (Debian bookworm ships PostgreSQL 15). */
const PG_STAND_IN = { TEMPORAL_IMAGE_REGISTRY: E2E_REGISTRY, POSTGRESQL_VERSION: '15' };

type Project = Awaited<ReturnType<typeof testProject>>;
type Block = Record<string, unknown>;

describe('a password with Terraform template syntax (real terraform and provider)', {
  skip: testEnv ? false : SKIP_MESSAGE,
  concurrency: false,
}, () => {
  let docker: Docker;
  let tfEnv: Record<string, string>;
  const projects: Project[] = [];

  before(async () => {
    docker = new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host }));
    const rc = await buildProvider(requireTestEnv().envFile, cliEnv({ DOCKER_HOST: testEnv!.host })); // its pin: scripts/test-env
    tfEnv = cliEnv({ TF_CLI_CONFIG_FILE: rc, DOCKER_HOST: testEnv!.host, CHECKPOINT_DISABLE: '1' });
  });

  after(async () => {
    await removeProjects(
      docker,
      projects.map((p) => p.project),
    );
    for (const p of projects) {
      for (const n of await docker.listNetworks({ filters: { label: [`${LABELS.project}=${p.project}`] } }))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
      await rm(p.dir, { recursive: true, force: true });
    }
  });

  async function project(extra: Record<string, string>): Promise<Project> {
    const p = await testProject({
      ...providerPin(requireTestEnv()),
      POSTGRES_PASSWORD: PASSWORD,
      POSTGRES_PORT: String(await freePort()),
      ...extra,
    });
    projects.push(p);
    return p;
  }

  /** Synthesizes the project as `start` does, keeps PostgreSQL's blocks (edited by `edit`), applies. */
  async function applyPostgres(p: Project, edit: (container: Block) => void = () => undefined): Promise<string> {
    const { dir } = await synthesize(loadConfig({ envFile: p.envFile, env: {} }));
    const file = join(dir, 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { resource: Record<string, Record<string, Block>> };
    const container = doc.resource.docker_container!.postgresql!;
    const refs = JSON.stringify(container);
    const referenced = (type: string) =>
      Object.fromEntries(Object.entries(doc.resource[type] ?? {}).filter(([id]) => refs.includes(`${type}.${id}.`)));
    edit(container);
    doc.resource = {
      docker_image: referenced('docker_image'),
      docker_network: referenced('docker_network'),
      docker_volume: referenced('docker_volume'),
      docker_container: { postgresql: container },
    };
    delete (doc as { output?: unknown }).output;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['apply', '-auto-approve', '-input=false', '-no-color'],
    ]) {
      const r = await run('terraform', [`-chdir=${dir}`, ...args], { env: tfEnv, maxBuffer: 64 << 20 }).catch(
        (e: { stdout?: string; stderr?: string }) => assert.fail(`terraform ${args[0]}:\n${e.stdout}${e.stderr}`),
      );
      if (args[0] === 'apply') return r.stdout + r.stderr;
    }
    return '';
  }

  it('an env value `p${x}%{y}` reaches the container as written (docker inspect)', async () => {
    const p = await project({ POSTGRES_IMAGE: testEnv!.testImage });
    const output = await applyPostgres(p, (container) => {
      // busybox stands in for the image: no pg_isready, no entrypoint; the env stays as synthesized
      delete container.healthcheck;
      delete container.wait;
      delete container.wait_timeout;
      container.command = ['sh', '-c', "trap 'exit 0' TERM; sleep 600 & wait"];
    });
    assert.match(output, /1 added|4 added/);
    const info = await docker.getContainer(`${p.project}-postgresql`).inspect();
    assert.ok(info.Config.Env.includes(`POSTGRES_PASSWORD=${PASSWORD}`), info.Config.Env.join('\n'));
    const echoed = await run('docker', ['exec', `${p.project}-postgresql`, 'sh', '-c', 'echo "$POSTGRES_PASSWORD"'], {
      env: { ...process.env, DOCKER_HOST: testEnv!.host },
    });
    assert.equal(echoed.stdout.trim(), PASSWORD, 'the process in the container sees it too');
  });

  it('PostgreSQL takes it: a login over TCP with `p${x}%{y}` succeeds, another password is refused', async (t) => {
    const p = await project(PG_STAND_IN);
    const image = loadConfig({ envFile: p.envFile, env: {} }).config.POSTGRES_IMAGE;
    const present = await docker
      .getImage(image)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!present) {
      // The e2e's own stand-ins, built now under the same tags (the e2e then finds them built).
      const dir = await mkdtemp(join(tmpdir(), 'tctl-pw-images-'));
      try {
        const envFile = await writeEnvFile(dir, requireTestEnv());
        t.diagnostic(await buildImages(envFile, cliEnv({ DOCKER_HOST: testEnv!.host })));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    await applyPostgres(p); // waits for the healthcheck, as start does
    const login = async (password: string) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: Number(p.config.POSTGRES_PORT),
        user: p.config.POSTGRES_USER,
        password,
        database: 'postgres',
      });
      await client.connect();
      try {
        return (await client.query<{ user: string }>('select current_user as user')).rows[0]!.user;
      } finally {
        await client.end();
      }
    };
    assert.equal(await login(PASSWORD), p.config.POSTGRES_USER);
    await assert.rejects(login('p'), /password authentication failed/);
  });
});
