// start bounds the namespace step by what is left of its --timeout, and a Ctrl-C stops it: both
// against the test env's real server (ensureNamespaces is start's path).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../src/project/load.js';
import { OperationError } from '../../src/errors.js';
import { ensureNamespaces } from '../../src/namespaces/ensure.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const env = loadTestEnv();

describe('the namespace step of start is bounded and interruptible (real server)', {
  skip: !env && NOT_UP_MESSAGE,
}, () => {
  const configFor = (namespace: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-ns-deadline-'));
    const envFile = join(dir, 'temporal.env');
    writeFileSync(envFile, `TEMPORAL_ADDRESS=${env!.temporal.address}\nTEMPORAL_NAMESPACE=${namespace}\n`);
    return { config: loadConfig({ envFile, env: {} }).config, file: join(dir, 'namespaces.yaml') };
  };
  const exists = async (name: string) => {
    const conn = await Connection.connect({ address: env!.temporal.address });
    try {
      await conn.workflowService.describeNamespace({ namespace: name });
      return true;
    } catch {
      return false;
    } finally {
      await conn.close();
    }
  };

  it("a deadline that runs out ends with one error naming start's --timeout and the namespace", async () => {
    const name = `deadline-${process.pid}-${Date.now().toString(36)}`;
    const { config, file } = configFor(name);
    const started = performance.now();
    const error = await ensureNamespaces(config, { file, deadline: { ms: 1, flag: "start's --timeout 5m" } }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationError, String(error));
    assert.match(error.message, new RegExp(`^start's --timeout 5m ran out while ensuring namespace "${name}"`));
    assert.match(error.hint ?? '', /`temporal-ctl start` ensures the namespaces again/);
    assert.ok(performance.now() - started < 5_000);
  });

  it('with time left it creates the namespace as before; an aborted signal (Ctrl-C) stops it without a timeout error', async () => {
    const name = `bounded-${process.pid}-${Date.now().toString(36)}`;
    const { config, file } = configFor(name);
    const [result] = await ensureNamespaces(config, { file, deadline: { ms: 60_000, flag: '--timeout' } });
    assert.equal(result?.action, 'created');
    assert.equal(await exists(name), true);
    const other = `interrupted-${process.pid}-${Date.now().toString(36)}`;
    const aborted = AbortSignal.abort('SIGINT');
    // It ends with the signal's reason; start turns that into the interrupt's message (src/interrupts.ts).
    await assert.rejects(ensureNamespaces(configFor(other).config, { file, signal: aborted }), (e) => e === 'SIGINT');
    assert.equal(await exists(other), false, 'nothing was created after the interrupt');
  });
});
