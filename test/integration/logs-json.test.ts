// `logs -o json` on the real engine: one JSON record per line with the service, container, Docker's
// timestamp, stream and message, and the line's own fields when it is JSON (as the server's zap
// logger writes). Busybox stand-ins carry the stack's labels (the test environment's image); the
// server's real log lines are JSON by default at 1.32 (log.format "json"), which they imitate.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { containerName } from '../../src/model/names-and-endpoints.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { dockerOptions } from '../../src/docker/client.js';
import type { LogRecord } from '../../src/docker/log-record.js';
import {
  createStandIn,
  dockerTestEnv,
  removeProjects,
  runCtl,
  SKIP_MESSAGE,
  testProject,
  trapped,
  until,
  type DockerTestEnv,
} from './docker-fixture.js';

const testEnv = await dockerTestEnv();
const ZAP = '{"level":"info","ts":"2026-11-26T02:00:00.000Z","msg":"Service started","service":"frontend"}';

describe('logs -o json (real engine)', { skip: testEnv ? false : SKIP_MESSAGE }, () => {
  let env: DockerTestEnv;
  let docker: Docker;
  let c: ClusterConfig;
  let envFile: string;
  let dir: string;

  before(async () => {
    env = testEnv!;
    docker = new Docker(dockerOptions({ DOCKER_HOST: env.host }));
    ({ config: c, envFile, dir } = await testProject());
    await createStandIn(docker, env.testImage, c, {
      service: 'server',
      // a JSON line on stdout, a text line on stderr, then one JSON line a second (for -f)
      cmd: trapped(
        `echo '${ZAP}'; echo 'plain text on stderr' >&2; while true; sleep 1; do echo '{"level":"warn","msg":"tick"}'; done`,
      ),
    });
    await createStandIn(docker, env.testImage, c, { service: 'ui', cmd: trapped('echo "ui text line"; sleep 3600') });
    await until('the stand-ins wrote their first lines', async () => {
      const r = await runCtl(['--env-file', envFile, 'logs', '--tail', '5'], { DOCKER_HOST: env.host });
      return r.stdout.includes('plain text on stderr') && r.stdout.includes('ui text line');
    });
  });

  after(async () => {
    if (c) await removeProjects(docker, [c.TEMPORAL_PROJECT]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints one record per line: service, container, ISO time, stream, message, parsed fields', async () => {
    const r = await runCtl(['--env-file', envFile, 'logs', 'server', 'ui', '-o', 'json'], { DOCKER_HOST: env.host });
    assert.equal(r.code, 0, r.stderr);
    const records = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogRecord);
    for (const x of records) {
      assert.ok(['server', 'ui'].includes(x.service), x.service);
      assert.equal(x.container, containerName(c, x.service));
      assert.match(x.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      assert.ok(Math.abs(Date.parse(x.time!) - Date.now()) < 600_000, x.time!);
      assert.equal(typeof x.message, 'string');
    }
    const zap = records.find((x) => x.message === ZAP);
    assert.deepEqual(zap && { service: zap.service, stream: zap.stream, fields: zap.fields }, {
      service: 'server',
      stream: 'stdout',
      fields: JSON.parse(ZAP),
    });
    const text = records.find((x) => x.message === 'plain text on stderr');
    assert.equal(text?.stream, 'stderr');
    assert.equal('fields' in text!, false); // a text line has no fields
    assert.equal(records.find((x) => x.message === 'ui text line')?.service, 'ui');
    // merged by Docker's timestamps, as the text output is
    const times = records.map((x) => x.time!);
    assert.deepEqual(times, [...times].sort());
  });

  it('-f -o json streams records until Ctrl-C (exit 0)', async () => {
    let sent = false;
    const r = await runCtl(
      ['--env-file', envFile, 'logs', 'server', '-f', '--tail', '1', '-o', 'json'],
      { DOCKER_HOST: env.host },
      (out, child) => {
        // the tail line and two new ones
        if (!sent && out.split('\n').filter(Boolean).length >= 3) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const records = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogRecord);
    assert.ok(records.length >= 3);
    for (const x of records.slice(1)) {
      assert.equal(x.service, 'server');
      assert.deepEqual(x.fields, { level: 'warn', msg: 'tick' });
    }
  });
});
