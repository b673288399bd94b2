// Temporal's advanced visibility on the test environment's real Elasticsearch (the default visibility
// store), checked the way a user would: workflows started and terminated with Temporal's own CLI, then
// found with `temporal workflow list --query` and `temporal workflow count` (answered by Elasticsearch),
// and the document itself read back from the index the schema job created.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';

const run = promisify(execFile);
const testEnv = loadTestEnv();
const SKIP = !testEnv ? NOT_UP_MESSAGE : !testEnv.elasticsearch ? 'the test environment has no Elasticsearch' : false;

/** Polls `fn` until it returns without throwing, for up to `ms`; rethrows the last error. */
async function eventually<T>(fn: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((ok) => setTimeout(ok, 300));
    }
  }
}

describe("Temporal's visibility on the real Elasticsearch (temporal CLI)", { skip: SKIP }, () => {
  const e = testEnv!;
  const es = e.elasticsearch!;
  const namespace = `es-visibility-${process.pid}`;
  const type = `EsVisibilityProbe${process.pid}`;
  const ids = { running: `${type}-running`, terminated: `${type}-terminated` };
  let namespaceId = '';

  /** temporal CLI against the test server in the test namespace; JSON output parsed. */
  const temporal = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run(e.cli.temporal, [
      ...args,
      '--address',
      e.temporal.address,
      '-n',
      namespace,
      '-o',
      'json',
    ]);
    return (stdout.trim() === '' ? undefined : JSON.parse(stdout)) as T; // terminate prints nothing
  };
  const count = (query: string) =>
    temporal<{ count: string; groups?: unknown[] }>('workflow', 'count', '--query', query);

  before(async () => {
    await run(e.cli.temporal, [
      'operator',
      'namespace',
      'create',
      '--address',
      e.temporal.address,
      '-n',
      namespace,
      '--retention',
      '24h',
    ]);
    // A new namespace reaches the frontend's cache within seconds: wait until a visibility call is served.
    await eventually(() => count('ExecutionStatus="Running"'));
    namespaceId = (await temporal<{ namespaceInfo: { id: string } }>('operator', 'namespace', 'describe')).namespaceInfo
      .id;
    for (const id of Object.values(ids))
      await temporal('workflow', 'start', '--type', type, '--task-queue', `${type}-queue`, '--workflow-id', id);
    await temporal('workflow', 'terminate', '--workflow-id', ids.terminated, '--reason', 'visibility test');
  });

  after(async () => {
    await run(e.cli.temporal, [
      'operator',
      'namespace',
      'delete',
      '--address',
      e.temporal.address,
      '-n',
      namespace,
      '--yes',
    ]).catch(() => undefined);
  });

  it('workflow list --query finds the running workflow by type and status, and only it', async () => {
    const listed = await eventually(async () => {
      const rows = await temporal<{ execution: { workflowId: string }; status: string }[]>(
        'workflow',
        'list',
        '--query',
        `WorkflowType="${type}" AND ExecutionStatus="Running"`,
      );
      assert.deepEqual(
        rows.map((r) => r.execution.workflowId),
        [ids.running],
      );
      return rows;
    });
    assert.equal(listed[0]!.status, 'WORKFLOW_EXECUTION_STATUS_RUNNING');
  });

  it('workflow count counts both, and GROUP BY ExecutionStatus splits them (an aggregation in Elasticsearch)', async () => {
    await eventually(async () => assert.equal((await count(`WorkflowType="${type}"`)).count, '2'));
    const grouped = await eventually(async () => {
      const g = await count(`WorkflowType="${type}" GROUP BY ExecutionStatus`);
      assert.equal(g.groups?.length, 2, JSON.stringify(g));
      return g;
    });
    const byStatus = Object.fromEntries(
      (grouped.groups as { groupValues: string[]; count: string }[]).map((x) => [x.groupValues[0], x.count]),
    );
    assert.deepEqual(byStatus, { Running: '1', Terminated: '1' });
  });

  it(`the terminated workflow's document is in the visibility index, with the namespace's id`, async () => {
    const hit = await eventually(async () => {
      const r = await fetch(`${es.url}/${es.index}/_search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { term: { WorkflowId: ids.terminated } } }),
      });
      assert.equal(r.status, 200);
      const body = (await r.json()) as { hits: { hits: { _source: Record<string, unknown> }[] } };
      assert.equal(body.hits.hits.length, 1, JSON.stringify(body));
      assert.equal(body.hits.hits[0]!._source.ExecutionStatus, 'Terminated');
      return body.hits.hits[0]!._source;
    });
    assert.equal(hit.WorkflowType, type);
    assert.equal(hit.NamespaceId, namespaceId);
    assert.equal(hit.TaskQueue, `${type}-queue`);
  });
});
