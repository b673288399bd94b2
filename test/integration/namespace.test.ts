// `temporal-ctl namespace …` as a spawned binary against the test env's production
// Temporal server; every assertion reads the server's state with @temporalio/client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../src/project/load.js';
import { ensureNamespaces } from '../../src/namespaces/ensure.js';
import { loadTestEnv } from '../support/env.js';

const BIN = fileURLToPath(new URL('../../../bin/temporal-ctl', import.meta.url));
const DAY_S = 86_400;
const env = loadTestEnv();
const dir = mkdtempSync(join(tmpdir(), 'tctl-ns-'));
const emptyEnvFile = join(dir, 'empty.env');
writeFileSync(emptyEnvFile, '');
const unique = (base: string) => `${base}-${process.pid}-${Date.now().toString(36)}`;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real binary with an empty env file so the developer's temporal.env cannot leak in. */
function ctl(args: string[], address = env?.temporal.address ?? ''): Promise<Result> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, '--env-file', emptyEnvFile, ...args], {
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: address, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
  );
}

/**
 * Runs the binary on a pseudo-terminal (util-linux `script`) and types `answer`
 * once the confirmation prompt shows.
 */
function ctlOnTerminal(args: string[], answer: string): Promise<Result> {
  const started = Date.now();
  const command = [process.execPath, BIN, '--env-file', emptyEnvFile, ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: env?.temporal.address ?? '', NO_COLOR: '1', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let typed = false;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!typed && stdout.includes('to confirm: ')) {
      typed = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr: '', ms: Date.now() - started });
    }),
  );
}

/** A loopback port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('namespace commands against a real Temporal server', {
  skip: env ? false : 'test environment is not up: run `bash scripts/test-env up`',
}, () => {
  let conn: Connection;
  const name = unique('tctl-ns');
  const describeOnServer = (n: string) => conn.workflowService.describeNamespace({ namespace: n });

  before(async () => {
    conn = await Connection.connect({ address: env!.temporal.address });
  });
  after(async () => {
    await conn?.close();
  });

  it('create registers the namespace with its retention, description, owner and data', async () => {
    const r = await ctl([
      'namespace',
      'create',
      name,
      '--retention',
      '7d',
      '--description',
      'Media planner',
      '--email',
      'team@example.com',
      '--data',
      'team=planning',
      '--data',
      'limits={"rps":10}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const ns = await describeOnServer(name);
    assert.equal(Number(ns.config?.workflowExecutionRetentionTtl?.seconds), 7 * DAY_S);
    assert.equal(ns.namespaceInfo?.description, 'Media planner');
    assert.equal(ns.namespaceInfo?.ownerEmail, 'team@example.com');
    assert.deepEqual({ ...ns.namespaceInfo?.data }, { team: 'planning', limits: '{"rps":10}' });
  });

  it('create of an existing namespace exits 1 and says it already exists', async () => {
    const r = await ctl(['namespace', 'create', name, '--retention', '7d']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`namespace "${name}" already exists on 127\\.0\\.0\\.1:\\d+`));
    assert.match(r.stderr, /--if-not-exists/);
  });

  it('create --if-not-exists exits 0, says it existed and warns that the retention differs', async () => {
    const r = await ctl(['namespace', 'create', name, '--retention', '3d', '--if-not-exists']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /already exists; left unchanged/);
    assert.match(r.stderr, /warning: .*has retention 7d, not the requested 3d/);
    assert.equal(
      Number((await describeOnServer(name)).config?.workflowExecutionRetentionTtl?.seconds),
      7 * DAY_S,
      'retention unchanged',
    );
  });

  it('list --json holds the namespace with the id the server gave it', async () => {
    const r = await ctl(['namespace', 'list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const listed = (JSON.parse(r.stdout) as Array<{ name: string; id: string; retention: string }>).find(
      (n) => n.name === name,
    );
    assert.ok(listed, `${name} is listed`);
    assert.equal(listed.id, (await describeOnServer(name)).namespaceInfo?.id);
    assert.equal(listed.retention, '7d');
  });

  it('describe --json prints state, retention, description, owner, id, data and archival states', async () => {
    const r = await ctl(['namespace', 'describe', name, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(view).sort(), [
      'activeCluster',
      'data',
      'description',
      'historyArchivalState',
      'id',
      'isGlobal',
      'name',
      'ownerEmail',
      'retention',
      'retentionSeconds',
      'state',
      'visibilityArchivalState',
    ]);
    const server = await describeOnServer(name);
    assert.equal(view.id, server.namespaceInfo?.id);
    assert.equal(view.state, 'registered');
    assert.equal(view.retentionSeconds, 7 * DAY_S);
    assert.equal(view.ownerEmail, 'team@example.com');
    assert.deepEqual(view.data, { team: 'planning', limits: '{"rps":10}' });
    assert.equal(view.historyArchivalState, 'disabled');
  });

  it('update --retention changes the retention on the server and keeps the description', async () => {
    const r = await ctl(['namespace', 'update', name, '--retention', '14d', '--email', 'ops@example.com']);
    assert.equal(r.code, 0, r.stderr);
    const ns = await describeOnServer(name);
    assert.equal(Number(ns.config?.workflowExecutionRetentionTtl?.seconds), 14 * DAY_S);
    assert.equal(ns.namespaceInfo?.ownerEmail, 'ops@example.com');
    assert.equal(ns.namespaceInfo?.description, 'Media planner');
  });

  it('delete without --yes and without a terminal is a usage error and deletes nothing', async () => {
    const r = await ctl(['namespace', 'delete', name]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pass --yes/);
    assert.ok((await describeOnServer(name)).namespaceInfo?.id);
  });

  it('delete on a terminal deletes nothing when the typed name does not match', async () => {
    const r = await ctlOnTerminal(['namespace', 'delete', name], 'not-the-name');
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /does not match/);
    assert.ok((await describeOnServer(name)).namespaceInfo?.id, 'still there');
  });

  it('delete on a terminal deletes after the name is typed', async () => {
    const other = unique('tctl-ns-tty');
    assert.equal((await ctl(['namespace', 'create', other, '--retention', '1d'])).code, 0);
    const r = await ctlOnTerminal(['namespace', 'delete', other], other);
    assert.equal(r.code, 0, r.stdout);
    await assert.rejects(describeOnServer(other), (e: { code?: number }) => e.code === 5);
  });

  it('delete --yes removes the namespace from the server', async () => {
    const id = (await describeOnServer(name)).namespaceInfo?.id;
    const r = await ctl(['namespace', 'delete', name, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    // The server renames it and marks it deleted; the original name is gone.
    await assert.rejects(describeOnServer(name), (e: { code?: number }) => e.code === 5);
    const renamed = await conn.workflowService.describeNamespace({ id });
    assert.notEqual(renamed.namespaceInfo?.name, name);
    assert.ok(
      [3, 'NAMESPACE_STATE_DELETED'].includes(renamed.namespaceInfo?.state as never),
      `state ${String(renamed.namespaceInfo?.state)}`,
    );
  });

  it('delete refuses temporal-system', async () => {
    const r = await ctl(['namespace', 'delete', 'temporal-system', '--yes']);
    assert.equal(r.code, 2);
    assert.ok((await describeOnServer('temporal-system')).namespaceInfo?.id);
  });

  it('ensureNamespaces creates declared namespaces once and is idempotent', async () => {
    const a = unique('tctl-ens-a');
    const b = unique('tctl-ens-b');
    const file = join(dir, 'namespaces.yaml');
    writeFileSync(
      file,
      `namespaces:\n  - name: ${b}\n    retention: 30d\n    description: from yaml\n    data:\n      team: billing\n`,
    );
    const config = loadConfig({
      envFile: emptyEnvFile,
      env: { TEMPORAL_ADDRESS: env!.temporal.address, TEMPORAL_NAMESPACES: `${a}:2d` },
    }).config;
    const first = await ensureNamespaces(config, { file });
    assert.deepEqual(
      first.filter((x) => x.name !== 'default').map((x) => [x.name, x.action]),
      [
        [a, 'created'],
        [b, 'created'],
      ],
    );
    assert.ok(
      first.some((x) => x.name === 'default'),
      'the default namespace is ensured too',
    );
    const second = await ensureNamespaces(config, { file });
    assert.deepEqual(
      second.map((x) => x.action),
      second.map(() => 'existed'),
    );
    assert.equal(Number((await describeOnServer(a)).config?.workflowExecutionRetentionTtl?.seconds), 2 * DAY_S);
    const nsB = await describeOnServer(b);
    assert.equal(Number(nsB.config?.workflowExecutionRetentionTtl?.seconds), 30 * DAY_S);
    assert.equal(nsB.namespaceInfo?.description, 'from yaml');
    assert.deepEqual({ ...nsB.namespaceInfo?.data }, { team: 'billing' });
  });
});

describe('namespace validation and an unreachable server (no server needed)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a name with a space', ['namespace', 'create', 'bad name'], /may only hold letters/],
    ['an empty name', ['namespace', 'create', ''], /namespace name is empty/],
    ['a name over 255 characters', ['namespace', 'create', 'n'.repeat(256)], /longer than 255 characters/],
    [
      'a retention under one day',
      ['namespace', 'create', 'okname', '--retention', '12h'],
      /shorter than Temporal's minimum retention of 1d/,
    ],
    [
      'a retention that is not a duration',
      ['namespace', 'create', 'okname', '--retention', 'week'],
      /is not a duration/,
    ],
    ['a retention on update', ['namespace', 'update', 'okname', '--retention', '1h'], /minimum retention/],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what} with exit 2 before any network call`, async () => {
      // Nothing listens there: a network call would fail with exit 1, not the validation error.
      const r = await ctl(args, `127.0.0.1:${await closedPort()}`);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  it('exits 1 and hints at `temporal-ctl status` when the server is down', async () => {
    const port = await closedPort();
    const r = await ctl(['namespace', 'describe', 'default'], `127.0.0.1:${port}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`cannot reach the Temporal frontend at 127\\.0\\.0\\.1:${port}`));
    assert.match(r.stderr, /run `temporal-ctl status`/);
  });
});
