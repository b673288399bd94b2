// "Created" must mean a worker can use the namespace at once (temporal#3914), against the test
// env's real server. The failing case needs a client that looked the name up before it existed:
// the frontend's namespace registry then remembers the miss for up to a second (src/namespaces/
// usable.ts). A worker deployed before its namespace does exactly that; here an in-process client
// plays it. Right after `temporal-ctl namespace create` (or ensureNamespaces, start's path) returns,
// Temporal's own CLI starts a workflow in the namespace: that must succeed every round.
// TEMPORAL_CTL_BIN=<other bin/temporal-ctl> runs the create rounds against another build.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../src/project/load.js';
import { ensureNamespaces, type EnsureEvent } from '../../src/namespaces/ensure.js';
import { cliEnv, json, spawnCli, tail } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const execFileP = promisify(execFile);
const env = loadTestEnv();
const ROUNDS = 5;
const unique = (base: string, i: number) => `${base}-${process.pid}-${i}-${Date.now().toString(36)}`;

/** Looks `name` up through the frontend's registry every 20 ms, as a worker that starts first does. */
function earlyWorker(conn: Connection, name: string): { stop: () => Promise<number> } {
  let running = true;
  let lookups = 0;
  const loop = (async () => {
    while (running) {
      lookups++;
      await conn.workflowService.listWorkflowExecutions({ namespace: name, pageSize: 1 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return lookups;
    },
  };
}

/** Temporal's own CLI starts a workflow in the namespace (no retry); resolves with its exit and output. */
async function cliStartsWorkflow(address: string, namespace: string): Promise<{ ok: boolean; output: string }> {
  const args = ['workflow', 'start', '--address', address, '-n', namespace];
  args.push('--task-queue', 'usable-check', '--type', 'UsableCheck', '--workflow-id', 'usable-check', '-o', 'json');
  try {
    const r = await execFileP(env!.cli.temporal, args, { timeout: 30_000 });
    return { ok: true, output: r.stdout };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { ok: false, output: e.stderr || e.message };
  }
}

describe('a namespace is usable by workers as soon as temporal-ctl says it is created', {
  skip: !env && NOT_UP_MESSAGE,
  concurrency: false,
}, () => {
  let conn: Connection;
  const dir = mkdtempSync(join(tmpdir(), 'tctl-ns-usable-'));
  const envFile = join(dir, 'temporal.env');

  before(async () => {
    writeFileSync(envFile, `TEMPORAL_ADDRESS=${env!.temporal.address}\n`);
    conn = await Connection.connect({ address: env!.temporal.address });
  });
  after(async () => {
    await conn?.close();
  });

  it(`namespace create, then at once a workflow start with the temporal CLI: succeeds in ${ROUNDS} of ${ROUNDS} rounds`, async (t) => {
    const failures: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const name = unique('usable', i);
      const worker = earlyWorker(conn, name);
      const r = await spawnCli(
        ['--env-file', envFile, 'namespace', 'create', name, '--retention', '1d', '-o', 'json'],
        {
          env: cliEnv(),
          timeoutMs: 120_000,
        },
      );
      const lookups = await worker.stop();
      assert.equal(r.code, 0, tail(r));
      const started = await cliStartsWorkflow(env!.temporal.address, name);
      const usableAfterMs = json<{ usableAfterMs?: number }>(r).usableAfterMs;
      t.diagnostic(
        `round ${i + 1}: ${lookups} early lookups; create ${r.ms} ms, usable after ${usableAfterMs} ms; start ${started.ok ? 'ok' : 'FAILED'}`,
      );
      if (!started.ok) failures.push(`${name}: ${started.output.trim()}`);
    }
    assert.deepEqual(
      failures,
      [],
      `the workflow start failed right after create in ${failures.length} of ${ROUNDS} rounds`,
    );
  });

  it(`start's path (ensureNamespaces), then at once a workflow start with the temporal CLI: succeeds in ${ROUNDS} of ${ROUNDS} rounds`, async (t) => {
    // No early worker: before the fix, start's own describe-before-register left the miss (9 of 10 failed).
    const failures: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const name = unique('usable-start', i);
      const { config } = loadConfig({
        envFile,
        env: { TEMPORAL_ADDRESS: env!.temporal.address, TEMPORAL_NAMESPACE: name },
      });
      const [result] = await ensureNamespaces(config, { file: join(dir, 'none.yaml') });
      const started = await cliStartsWorkflow(env!.temporal.address, name);
      t.diagnostic(
        `round ${i + 1}: ${result!.action}, usable after ${result!.usableAfterMs} ms; start ${started.ok ? 'ok' : 'FAILED'}`,
      );
      if (!started.ok) failures.push(`${name}: ${started.output.trim()}`);
    }
    assert.deepEqual(
      failures,
      [],
      `the workflow start failed right after ensureNamespaces in ${failures.length} of ${ROUNDS} rounds`,
    );
  });

  it("start's path (ensureNamespaces) waits for the registry and says so; the CLI's start right after succeeds", async (t) => {
    type Waiting = Extract<EnsureEvent, { kind: 'waiting-usable' }>;
    let waited: Waiting | undefined;
    // The early worker's miss is in the registry at the moment of creation nearly always (a lookup
    // every 20 ms, each miss remembered for 1 s); three rounds make a round without a wait harmless.
    for (let i = 0; i < 3 && !waited; i++) {
      const name = unique('usable-ensure', i);
      const { config } = loadConfig({
        envFile,
        env: { TEMPORAL_ADDRESS: env!.temporal.address, TEMPORAL_NAMESPACE: name },
      });
      const worker = earlyWorker(conn, name);
      await new Promise((r) => setTimeout(r, 100)); // it has looked the name up by now
      const events: EnsureEvent[] = [];
      const [result] = await ensureNamespaces(config, { file: join(dir, 'none.yaml'), onEvent: (e) => events.push(e) });
      await worker.stop();
      const started = await cliStartsWorkflow(env!.temporal.address, name);
      t.diagnostic(`round ${i + 1}: usable after ${result!.usableAfterMs} ms`);
      assert.equal(result!.action, 'created');
      assert.ok(started.ok, started.output);
      waited = events.find((e): e is Waiting => e.kind === 'waiting-usable');
      if (waited) assert.ok(result!.usableAfterMs > 0);
    }
    assert.ok(waited, 'ensureNamespaces never reported waiting for the registry in 3 rounds');
    assert.match(waited.reason, /not found/i);
  });
});
