// start's data preflight against a real PostgreSQL on the real engine: the e2e's PostgreSQL
// stand-in image (Debian's PostgreSQL 15 behind the official image's entrypoint contract; no image
// can be pulled here) on a real volume, reached through docker exec and short-lived containers as
// `start` reaches it. The credentials are checked by a real login; PG_VERSION is read from a real
// volume; facts are real files in a real state directory.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { containerName, labelsFor } from '../../src/model/names-and-endpoints.js';
import { loadConfig, type LoadedConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { dockerOptions } from '../../src/docker/client.js';
import { DataConflictError } from '../../src/errors.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { preflightData } from '../../src/lifecycle/preflight-data.js';
import { serviceVolume, volumeName } from '../../src/model/service-facts.js';
import { factsFile, recordFacts } from '../../src/preflight/facts.js';
import { buildImages, E2E_REGISTRY } from '../e2e/provision.js';
import { cliEnv } from '../support/cli.js';
import { dockerTestEnv, removeProjects, SKIP_MESSAGE, testProject, until } from './docker-fixture.js';

const testEnv = await dockerTestEnv();
const PASSWORD = 'first-start-secret';
const WRONG = 'not-the-first-start-secret';
/** The e2e's PostgreSQL stand-in (Debian bookworm ships PostgreSQL 15). */
const PG = { TEMPORAL_IMAGE_REGISTRY: E2E_REGISTRY, POSTGRESQL_VERSION: '15', POSTGRES_PASSWORD: PASSWORD };

type Project = Awaited<ReturnType<typeof testProject>>;

describe('start refuses a config that contradicts the PostgreSQL data (real PostgreSQL, real engine)', {
  skip: testEnv ? false : SKIP_MESSAGE,
  concurrency: false,
}, () => {
  let docker: Docker;
  let p: Project;
  const env = () => ({ DOCKER_HOST: testEnv!.host });
  const loaded = (overrides: Record<string, string> = {}): LoadedConfig =>
    loadConfig({ envFile: p.envFile, env: overrides });
  /** Runs the preflight; the events it emitted, or the error it threw. */
  async function preflight(overrides: Record<string, string> = {}) {
    const events: LifecycleEvent[] = [];
    const error = await preflightData(loaded(overrides), env(), (e) => events.push(e)).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { events, error: error as (Error & { hint?: string; exitCode?: number }) | undefined };
  }
  const warnings = (events: LifecycleEvent[]) => events.filter((e) => e.type === 'warning');
  const psql = async (sql: string, db = 'temporal') => {
    const exec = await docker.getContainer(containerName(p.config, 'postgresql')).exec({
      Cmd: ['psql', '-U', 'temporal', '-d', db, '-v', 'ON_ERROR_STOP=1', '-c', sql],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise((resolve) => stream.on('end', resolve).resume());
    assert.equal((await exec.inspect()).ExitCode, 0, sql);
  };

  /** The stack's postgres container on its volume, as the stack creates it (image, env, mount, labels). */
  async function startPostgres(): Promise<Docker.Container> {
    const volume = serviceVolume(p.config, 'postgresql')!;
    const container = await docker.createContainer({
      name: containerName(p.config, 'postgresql'),
      Image: p.config.POSTGRES_IMAGE,
      Env: [`POSTGRES_USER=${p.config.POSTGRES_USER}`, `POSTGRES_PASSWORD=${PASSWORD}`],
      Labels: labelsFor(p.config, 'postgresql'),
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume.name, Target: volume.target }] },
    });
    await container.start();
    await until(
      'postgres ready',
      async () => {
        const exec = await container.exec({ Cmd: ['pg_isready', '-h', '127.0.0.1'], AttachStdout: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        await new Promise((resolve) => stream.on('end', resolve).resume());
        return (await exec.inspect()).ExitCode === 0;
      },
      60_000,
    );
    return container;
  }

  before(async () => {
    docker = new Docker(dockerOptions(env()));
    p = await testProject({ ...PG, TEMPORAL_VISIBILITY: 'elasticsearch' });
    const present = await docker
      .getImage(p.config.POSTGRES_IMAGE)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!present) await buildImages(p.envFile, cliEnv(env()));
    await docker.createVolume({ Name: volumeName(p.config, 'postgresql')!, Labels: labelsFor(p.config, 'postgresql') });
    await startPostgres();
  });

  after(async () => {
    await removeProjects(docker, [p.project]);
    await rm(p.dir, { recursive: true, force: true });
  });

  it('passes the configured credentials of the first start, with nothing to warn about', async () => {
    const { events, error } = await preflight();
    assert.equal(error, undefined);
    assert.deepEqual(warnings(events), []);
  });

  it('refuses another password (exit 2) without printing it, and the running postgres keeps running', async () => {
    const before = await docker.getContainer(containerName(p.config, 'postgresql')).inspect();
    const { error } = await preflight({ POSTGRES_PASSWORD: WRONG });
    assert.ok(error instanceof DataConflictError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /POSTGRES_PASSWORD \(or POSTGRES_USER\) does not match the data in volume/);
    assert.match(error.hint ?? '', /`temporal-ctl rotate-password`/);
    for (const text of [error.message, error.hint ?? '']) {
      assert.ok(!text.includes(WRONG), 'the configured password is not printed');
      assert.ok(!text.includes(PASSWORD), 'the first password is not printed');
    }
    const now = await docker.getContainer(before.Id).inspect();
    assert.equal(now.State.Running, true);
    assert.equal(now.State.StartedAt, before.State.StartedAt, 'not restarted');
  });

  it('refuses another POSTGRES_USER, naming the user of the first start', async () => {
    const { error } = await preflight({ POSTGRES_USER: 'someone_else' });
    assert.ok(error instanceof DataConflictError, String(error));
    assert.match(error.message, /POSTGRES_USER changed from temporal to someone_else/);
    assert.match(error.hint ?? '', /set POSTGRES_USER back to temporal/);
  });

  it('reads the shard count a cluster without facts persisted, and refuses another NUM_HISTORY_SHARDS', async () => {
    // The history shards table as Temporal's schema declares it, with the rows a 4-shard server
    // writes at its first start (stand-in for running the server here).
    await psql('CREATE TABLE shards (shard_id INTEGER NOT NULL PRIMARY KEY, range_id BIGINT NOT NULL, data BYTEA)');
    await psql('INSERT INTO shards SELECT i, 1, NULL FROM generate_series(1, 4) i');
    assert.equal((await preflight({ NUM_HISTORY_SHARDS: '4' })).error, undefined);
    const { error } = await preflight({ NUM_HISTORY_SHARDS: '8' });
    assert.ok(error instanceof DataConflictError, String(error));
    assert.match(error.message, /NUM_HISTORY_SHARDS is fixed at 4 by the cluster's first start/);
    // A renamed TEMPORAL_DB finds the history in the database that holds it.
    const renamed = await preflight({ TEMPORAL_DB: 'temporal_new' });
    assert.match(String(renamed.error?.message), /TEMPORAL_DB changed from temporal to temporal_new/);
  });

  it('records the facts (mode 600) and refuses a changed fact, but allows switching the visibility store', async () => {
    recordFacts(loaded());
    const file = factsFile(loaded());
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).ELASTICSEARCH_INDEX, 'temporal_visibility_v1');
    const index = await preflight({ ELASTICSEARCH_INDEX: 'another_index' });
    assert.match(
      String(index.error?.message),
      /ELASTICSEARCH_INDEX changed from temporal_visibility_v1 to another_index/,
    );
    const switched = await preflight({ TEMPORAL_VISIBILITY: 'postgres', ELASTICSEARCH_INDEX: 'another_index' });
    assert.equal(switched.error, undefined);
    const db = await preflight({ TEMPORAL_DB: 'other' });
    assert.match(
      String(db.error?.message),
      /would start an empty cluster on a new database; set TEMPORAL_DB=temporal again/,
    );
  });

  it('refuses another TEMPORAL_PROJECT while this state directory holds the first project and its data', async () => {
    const { error } = await preflight({ TEMPORAL_PROJECT: `${p.project}x` });
    assert.ok(error instanceof DataConflictError, String(error));
    assert.match(error.message, new RegExp(`holds the cluster of TEMPORAL_PROJECT=${p.project}`));
    assert.match(error.hint ?? '', /own project directory \(or TEMPORAL_STATE_DIR\)/);
  });

  it('with only the volume left (no container), checks the credentials on a short-lived server and removes it', async () => {
    await docker.getContainer(containerName(p.config, 'postgresql')).remove({ force: true });
    // What a temporal-ctl killed mid-check left (the next check replaces it; it holds the name).
    const leftover = await docker.createContainer({
      name: `${containerName(p.config, 'postgresql')}-preflight`,
      Image: testEnv!.testImage,
      Cmd: ['sleep', '300'],
    });
    await leftover.start();
    const ok = await preflight();
    assert.equal(ok.error, undefined);
    assert.deepEqual(warnings(ok.events), []);
    const { error } = await preflight({ POSTGRES_PASSWORD: WRONG });
    assert.ok(error instanceof DataConflictError, String(error));
    assert.ok(!`${error.message}${error.hint}`.includes(WRONG));
    const left = await docker.listContainers({ all: true, filters: { name: [`${p.project}-postgresql`] } });
    assert.deepEqual(left, [], 'no container is left behind');
  });

  it('refuses data of another PostgreSQL major version (and the 18+ layout) before any server starts', async () => {
    for (const [layout, file, version] of [
      ['pre-18', 'PG_VERSION', '14'],
      ['18+', '18/docker/PG_VERSION', '18'],
    ] as const) {
      const other = await testProject(PG);
      try {
        const volume = volumeName(other.config, 'postgresql')!;
        await docker.createVolume({ Name: volume, Labels: labelsFor(other.config, 'postgresql') });
        const writer = await docker.createContainer({
          Image: testEnv!.testImage,
          Cmd: ['sh', '-c', `mkdir -p "$(dirname /v/${file})" && echo ${version} > /v/${file}`],
          HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/v' }] },
        });
        await writer.start();
        await writer.wait();
        await writer.remove();
        const { error } = await preflightData(
          loadConfig({ envFile: other.envFile, env: {} }),
          env(),
          () => undefined,
        ).then(
          () => ({ error: undefined }),
          (e: Error) => ({ error: e }),
        );
        assert.ok(error instanceof DataConflictError, `${layout}: ${String(error)}`);
        assert.match(
          error.message,
          new RegExp(`holds PostgreSQL ${version} data, but the configured image .* runs PostgreSQL 15`),
        );
        assert.match(error.message, new RegExp(`set POSTGRESQL_VERSION back to ${version}`));
        const servers = await docker.listContainers({ all: true, filters: { name: [`${other.project}-postgresql`] } });
        assert.deepEqual(servers, [], `${layout}: no server was started on the data`);
      } finally {
        await removeProjects(docker, [other.project]);
        await rm(other.dir, { recursive: true, force: true });
      }
    }
  });
});

// Facts of the state directory alone (files, no engine).
describe('first-start facts in the state directory', () => {
  it('records the keys in effect for the visibility store used, and rewrites a torn record', async () => {
    const q = await testProject({ NUM_HISTORY_SHARDS: '4' });
    try {
      const l = loadConfig({ envFile: q.envFile, env: {} });
      mkdirSync(projectPaths(l.config, l.projectDir).stateDir, { recursive: true });
      recordFacts(l);
      const recorded = JSON.parse(readFileSync(factsFile(l), 'utf8'));
      assert.equal(recorded.NUM_HISTORY_SHARDS, 4);
      assert.equal(recorded.TEMPORAL_VISIBILITY_DB, 'temporal_visibility');
      writeFileSync(factsFile(l), '{torn');
      recordFacts(l); // a torn record is rewritten, not a crash
      assert.equal(JSON.parse(readFileSync(factsFile(l), 'utf8')).TEMPORAL_DB, 'temporal');
    } finally {
      await rm(q.dir, { recursive: true, force: true });
    }
  });
});
