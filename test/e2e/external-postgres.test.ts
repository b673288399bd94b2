// POSTGRES_HOST end to end on one host: the cluster on a PostgreSQL that is not part of it (the test
// environment's own, on this host's address, which the containers reach), as a user's managed
// database would be. A role of its own with CREATEDB, databases of its own. start deploys no
// PostgreSQL and the schema job makes the databases there; a Python SDK worker runs a workflow; a
// wrong password is refused before anything changes; backup and restore go through a client
// container on the cluster network; rotate-password changes the role's password on that server;
// down --volumes leaves its databases and role alone.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { setEnvFileKeys } from '../../src/config/env-file-edit.js';
import { LABELS } from '../../src/model/names-and-endpoints.js';
import { loadConfig } from '../../src/project/load.js';
import { cliEnv, json, tail } from '../support/cli.js';
import { loadTestEnv, type TestEnv } from '../support/env.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { backupRestoreRoundTrip } from './backup-round-trip.js';
import { E2E_PROJECT } from './provision.js';
import { assertSignalledWorkflow, type ClientEnv, signalWorker } from './worker.js';

const PROJECT = `${E2E_PROJECT}-extpg`;
/** The suite's own role and databases on the test environment's PostgreSQL (dropped afterwards). */
const ROLE = `${PROJECT.replace(/-/g, '_')}_role`;
const DATABASES = [`${PROJECT.replace(/-/g, '_')}`, `${PROJECT.replace(/-/g, '_')}_visibility`];
const FIRST_PASSWORD = 'external-first-Pw1';
const PARKED_ID = `extpg-parked-${Date.now().toString(36)}`;

describe('POSTGRES_HOST: the cluster on a PostgreSQL that is not part of it', suiteOptions(), () => {
  const suite = e2eSuite();
  const { step } = suite.steps;
  let run: E2eRun;
  let client: ClientEnv;
  let env: TestEnv;

  /** A query on the test environment's PostgreSQL, as its superuser (over loopback). */
  const asSuperuser = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> => {
    const c = new pg.Client({
      host: env.postgres.host,
      port: env.postgres.port,
      user: env.postgres.user,
      password: env.postgres.password,
      database: 'postgres',
    });
    await c.connect();
    try {
      return (await c.query<R>(sql, values)).rows;
    } finally {
      await c.end();
    }
  };
  /** Whether ROLE logs in with `password` (scram over TCP: the password is checked). */
  const logsIn = async (password: string): Promise<boolean> => {
    const c = new pg.Client({
      host: env.postgres.host,
      port: env.postgres.port,
      user: ROLE,
      password,
      database: 'postgres',
    });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  };
  const dropOurs = async () => {
    for (const db of DATABASES) await asSuperuser(`drop database if exists "${db}" with (force)`);
    await asSuperuser(`drop role if exists "${ROLE}"`);
  };

  before(async () => {
    const loaded = loadTestEnv();
    if (!loaded) return; // suiteOptions skips (or fails under CI) without the test environment
    env = loaded;
    await dropOurs(); // an earlier run's, killed before its cleanup
    await asSuperuser(`create role "${ROLE}" login createdb password '${FIRST_PASSWORD}'`);
  });
  after(async () => {
    if (env && process.env.E2E_KEEP !== '1') await dropOurs();
  });

  const STARTED = step(
    'start deploys no PostgreSQL; the schema job makes the databases on POSTGRES_HOST, owned by the role; a workflow runs',
    async (t) => {
      run = await suite.start({
        project: PROJECT,
        settings: {
          TEMPORAL_VISIBILITY: 'postgres',
          POSTGRES_HOST: env.postgres.networkHost,
          POSTGRES_HOST_PORT: String(env.postgres.port),
          POSTGRES_USER: ROLE,
          POSTGRES_PASSWORD: FIRST_PASSWORD,
          TEMPORAL_DB: DATABASES[0]!,
          TEMPORAL_VISIBILITY_DB: DATABASES[1]!,
        },
      });
      for (const note of run.notes) t.diagnostic(note);
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json'], 360_000);
      t.diagnostic(`start on an external PostgreSQL took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
      const services = (
        await run.docker.listContainers({ all: true, filters: { label: [`${LABELS.project}=${PROJECT}`] } })
      ).map((c) => c.Labels[LABELS.service]);
      assert.ok(services.includes('server'), services.join(', '));
      assert.ok(!services.includes('postgresql'), `no PostgreSQL container: ${services.join(', ')}`);
      const owned = await asSuperuser<{ datname: string; owner: string }>(
        'select datname, pg_get_userbyid(datdba) as owner from pg_database where datname = any($1) order by datname',
        [DATABASES],
      );
      assert.deepEqual(
        owned.map((d) => [d.datname, d.owner]),
        DATABASES.map((d) => [d, ROLE]).sort(),
      );
      await assertSignalledWorkflow(env, client, `extpg-${Date.now().toString(36)}`, 'on an external PostgreSQL');
      const parked = await signalWorker(env, client, 'start', PARKED_ID);
      assert.equal(parked.code, 0, parked.stderr);
    },
  );

  step('a POSTGRES_PASSWORD the server refuses stops start before terraform runs (exit 2, the host named), the server container untouched', async () => {
    const before = await serverId();
    setEnvFileKeys(run.envFile, { POSTGRES_PASSWORD: 'not-the-password' }, 'the suite tries a wrong password');
    const r = await run.ctl(['start', '--yes']);
    setEnvFileKeys(run.envFile, { POSTGRES_PASSWORD: FIRST_PASSWORD }, 'the suite puts the password back');
    assert.equal(r.code, 2, tail(r));
    assert.match(
      r.stderr,
      new RegExp(`user ${ROLE} cannot log in to POSTGRES_HOST ${env.postgres.networkHost}:${env.postgres.port}`),
    );
    assert.doesNotMatch(r.stderr, /not-the-password/);
    assert.equal(await serverId(), before);
  }, [STARTED]);

  step(
    'backup and restore through a client on the cluster network: a workflow started after the backup is gone, the parked one is back',
    async (t) => {
      const { manifest, backupMs, restoreMs } = await backupRestoreRoundTrip(run, env, client, PARKED_ID, '300s');
      assert.deepEqual(manifest.databases.map((d) => d.name).sort(), [...DATABASES].sort());
      t.diagnostic(`backup ${backupMs} ms, restore ${restoreMs} ms`);
    },
    [STARTED],
  );

  step(
    "rotate-password changes the role's password on POSTGRES_HOST; the cluster runs on the new one; the parked workflow completes",
    async (t) => {
      const next = `external-rotated-${Date.now().toString(36)}`;
      setEnvFileKeys(run.envFile, { POSTGRES_PASSWORD: next }, 'the suite rotates the password');
      run.config = loadConfig({ envFile: run.envFile, env: cliEnv() }).config;
      const r = await run.ctl(['rotate-password', '--yes', '--timeout', '300s'], 360_000);
      assert.equal(r.code, 0, tail(r));
      t.diagnostic(`rotate-password took ${r.ms} ms`);
      assert.equal(await logsIn(next), true, 'the new password logs in');
      assert.equal(await logsIn(FIRST_PASSWORD), false, 'the old one no longer does');
      const status = await run.ctl(['status', '--wait', '--timeout', '120s']);
      assert.equal(status.code, 0, tail(status));
      const done = await signalWorker(env, client, 'finish', PARKED_ID, 'after the rotation');
      assert.equal(done.code, 0, done.stderr);
    },
    [STARTED],
  );

  step('down --volumes removes the cluster and leaves the databases and the role on POSTGRES_HOST', async () => {
    const r = await run.ctl(['down', '--volumes', '--yes']);
    assert.equal(r.code, 0, tail(r));
    assert.deepEqual(
      await run.docker.listContainers({ all: true, filters: { label: [`${LABELS.project}=${PROJECT}`] } }),
      [],
    );
    const left = await asSuperuser<{ datname: string }>('select datname from pg_database where datname = any($1)', [
      DATABASES,
    ]);
    assert.equal(left.length, 2, 'both databases are still there');
    assert.equal((await asSuperuser(`select 1 from pg_roles where rolname = $1`, [ROLE])).length, 1);
  }, [STARTED]);

  /** The server container's id (a replaced container has a new one). */
  async function serverId(): Promise<string | undefined> {
    const [server] = await run.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.project}=${PROJECT}`, `${LABELS.service}=server`] },
    });
    return server?.Id;
  }
});
