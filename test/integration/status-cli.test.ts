// `temporal-ctl status` as a user runs it: the built binary, spawned with real argv,
// against the real services of the test environment (scripts/test-env up).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { cliEnv, type Ran, spawnCli } from '../support/cli.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { loadTestEnv } from '../support/env.js';
import { freePort } from '../support/free-ports.js';

const testEnv = loadTestEnv();
const SKIP = testEnv ? false : 'test environment is not up: run `bash scripts/test-env up`';
const BIN = resolve(PROJECT_ROOT, 'bin/temporal-ctl');
const ENV_FILE = resolve(PROJECT_ROOT, '.test-env/temporal.env');

/** Runs the binary; `env` goes on top of cliEnv() (the developer's config keys and settings scrubbed). */
const ctl = (args: string[], env: Record<string, string> = {}): Promise<Ran> =>
  spawnCli(args, { bin: BIN, env: cliEnv(env) });

const statusJson = (extra: string[] = [], env: Record<string, string> = {}) =>
  ctl(['--env-file', ENV_FILE, 'status', '--json', ...extra], env);
const parse = (r: Ran): StatusDocument => JSON.parse(r.stdout) as StatusDocument;
const unhealthy = (doc: StatusDocument) => doc.services.filter((s) => !s.healthy).map((s) => s.service);

describe('temporal-ctl status (spawned binary, real services)', { skip: SKIP }, () => {
  it('exits 0 and reports every probed service healthy', async () => {
    const r = await statusJson();
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(r);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.healthy, true);
    assert.equal(doc.mode, 'probe-only'); // the test env runs its services outside Docker
    const expected = ['postgresql', 'elasticsearch', 'server', ...(testEnv!.ui ? ['ui'] : [])];
    assert.deepEqual(
      doc.services.map((s) => s.service),
      expected,
    );
    for (const s of doc.services) {
      assert.equal(s.healthy, true, `${s.service}: ${s.detail}`);
      assert.equal(s.container, null);
      assert.equal(typeof s.latencyMs, 'number');
    }
    assert.equal(doc.services.find((s) => s.service === 'server')?.version, testEnv!.temporal.version);
    assert.equal(doc.services.find((s) => s.service === 'elasticsearch')?.version, testEnv!.elasticsearch?.version);
  });

  it('exits 1 and names postgresql when POSTGRES_PASSWORD is wrong', async () => {
    const r = await statusJson([], { POSTGRES_PASSWORD: 'wrong-password' });
    assert.equal(r.code, 1, r.stderr);
    const doc = parse(r);
    assert.deepEqual(unhealthy(doc), ['postgresql']);
    assert.match(doc.services[0]!.detail, /password authentication failed for user temporal: check POSTGRES_PASSWORD/);
    assert.match(r.stderr, /unhealthy: postgresql/);
  });

  it('--wait --timeout 2s exits 1 after about 2 s and names the service whose port is closed', async () => {
    const r = await statusJson(['--wait', '--timeout', '2s'], { POSTGRES_PORT: String(await freePort()) });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms > 1_900 && r.ms < 4_500, `took ${Math.round(r.ms)} ms`);
    assert.deepEqual(unhealthy(parse(r)), ['postgresql']);
    assert.match(r.stderr, /not healthy after 2s: postgresql/);
  });

  it('--wait exits 0 at once when everything is already healthy', async () => {
    const r = await statusJson(['--wait', '--timeout', '30s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parse(r).healthy, true);
  });

  it('cuts off a hanging service at TEMPORAL_PROBE_TIMEOUT and exits 1', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => {
      sockets.push(s);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const port = (server.address() as { port: number }).port;
      // the probes' cut-off alone: the metrics window has its own test (metrics-summary.test.ts)
      const r = await statusJson(['--no-metrics'], { POSTGRES_PORT: String(port), TEMPORAL_PROBE_TIMEOUT: '500ms' });
      assert.equal(r.code, 1, r.stderr);
      const pg = parse(r).services.find((s) => s.service === 'postgresql')!;
      assert.equal(pg.detail, 'no answer within 500ms (TEMPORAL_PROBE_TIMEOUT)');
      assert.ok(r.ms < 3_000, `took ${Math.round(r.ms)} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('warns on stderr when Docker is unreachable and still lets the probes decide', async () => {
    const r = await statusJson([], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: Docker engine is not reachable at unix:\/\/\/nonexistent\/docker\.sock.*the probes decide/,
    );
    assert.deepEqual(parse(r).warnings.length, 1);
  });

  it('prints a table without colour codes when NO_COLOR is set', async () => {
    const r = await ctl(['--env-file', ENV_FILE, 'status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /│ server\s+│ -\s+│ healthy\s+│ \d+ ms/);
    assert.match(
      r.stdout,
      /no container of stack tctl-test-development exists \(the services run outside Docker\): only the probes decide/,
    );
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });
});

describe('temporal-ctl status: usage and config errors', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('exits 2 with one clear message and no stack trace on a malformed env file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tctl-status-'));
    dirs.push(dir);
    const file = join(dir, 'temporal.env');
    await writeFile(file, 'POSTGRES_PORT=not-a-port\nthis line is not KEY=VALUE\n');
    const r = await ctl(['--env-file', file, 'status', '--json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: invalid configuration \(/m);
    assert.doesNotMatch(r.stderr, /\n\s+at .+\(.+:\d+:\d+\)/);
    assert.equal(JSON.parse(r.stdout).error.exitCode, 2);
  });

  it('exits 2 and names the key when a TLS file cannot be read, whether or not the server is up', async () => {
    const r = await ctl(['status', '--json'], {
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem',
      TEMPORAL_GRPC_PORT: String(await freePort()),
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read "\/nonexistent\/ca\.pem" \(ENOENT\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it('exits 2 on a --timeout that is not a duration', async () => {
    const r = await ctl(['status', '--wait', '--timeout', 'soon']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /option '--timeout <duration>' argument 'soon' is invalid\. "soon" is not a duration; use a number with a unit/,
    );
  });
});
