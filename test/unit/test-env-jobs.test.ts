// The job runner of `scripts/test-env up` (test/env/jobs.ts) and its graph (test/env/up.ts): jobs
// wait for what they run after and no longer, each writes its own log, a failure stops new starts and
// is reported with its log's tail.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkGraph, type Job, logName, runJobs } from '../env/jobs.js';
import { upJobs } from '../env/up.js';

const dir = mkdtempSync(join(tmpdir(), 'tctl-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sh = (name: string, after: string[], script: string): Job => ({ name, after, command: ['sh', '-c', script] });

describe('the test env job runner', () => {
  it('runs independent jobs side by side and a dependent one after, each with its own log', async () => {
    const marks = join(dir, 'marks');
    const lines: string[] = [];
    const results = await runJobs(
      [
        sh('a', [], `echo a-start >>${marks}; sleep 0.3; echo a-end >>${marks}; echo out-a`),
        sh('b', [], `echo b-start >>${marks}; sleep 0.3; echo b-end >>${marks}; echo err-b >&2`),
        sh('c', ['a', 'b'], `echo c >>${marks}`),
      ],
      { logDir: join(dir, 'logs1'), print: (l) => lines.push(l) },
    );
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true, true],
    );
    const order = readFileSync(marks, 'utf8').trim().split('\n');
    // Both started before either ended; c after both.
    assert.ok(order.indexOf('b-start') < order.indexOf('a-end') && order.indexOf('a-start') < order.indexOf('b-end'));
    assert.equal(order.at(-1), 'c');
    assert.equal(readFileSync(join(dir, 'logs1', 'a.log'), 'utf8'), 'out-a\n');
    assert.equal(readFileSync(join(dir, 'logs1', 'b.log'), 'utf8'), 'err-b\n');
    assert.ok(
      lines.some((l) => /^c\s+\d+\.\ds$/.test(l)),
      lines.join('\n'),
    );
  });

  it("a failure starts nothing more, lets the running job finish, and prints the failed job's log tail", async () => {
    const lines: string[] = [];
    const results = await runJobs(
      [
        sh('slow', [], 'sleep 0.3; echo slow-done'),
        sh('broken', [], 'for i in 1 2 3 4 5; do echo line-$i; done; exit 3'),
        sh('later', ['broken'], 'echo never'),
      ],
      { logDir: join(dir, 'logs2'), print: (l) => lines.push(l), tailLines: 2 },
    );
    assert.deepEqual(results.map((r) => [r.name, r.ok, r.exitCode]).sort(), [
      ['broken', false, 3],
      ['slow', true, 0],
    ]);
    const text = lines.join('\n');
    assert.match(text, /broken\s+\d+\.\ds {2}FAILED \(exit 3\)/);
    assert.match(text, /broken failed; the last 2 lines of .*broken\.log:\n {2}\| line-4\n {2}\| line-5/);
    assert.match(text, /not started after the failure: later/);
  });

  it('with concurrency 1, runs the jobs one after another in the given order', async () => {
    const marks = join(dir, 'marks3');
    const results = await runJobs(
      [
        sh('x', [], `echo x >>${marks}; sleep 0.1`),
        sh('y', [], `echo y >>${marks}`),
        sh('z', ['x'], `echo z >>${marks}`),
      ],
      { logDir: join(dir, 'logs3'), print: () => {}, concurrency: 1 },
    );
    assert.deepEqual(
      results.map((r) => r.name),
      ['x', 'y', 'z'],
    );
    assert.equal(readFileSync(marks, 'utf8'), 'x\ny\nz\n');
  });

  it('refuses an unknown dependency, a duplicate name and a cycle', () => {
    assert.throws(() => checkGraph([sh('a', ['x'], 'true')]), /unknown job "x"/);
    assert.throws(() => checkGraph([sh('a', [], 'true'), sh('a', [], 'true')]), /defined twice/);
    assert.throws(() => checkGraph([sh('a', ['b'], 'true'), sh('b', ['a'], 'true')]), /cycle: a, b/);
  });

  it("up's graph is well formed; the server starts after its schema, the schema after both stores and the build", () => {
    const jobs = upJobs('1.2.3');
    checkGraph(jobs);
    const byName = new Map(jobs.map((j) => [j.name, j]));
    assert.deepEqual(byName.get('schema (schema-setup.sh)')?.after, [
      'postgres',
      'elasticsearch',
      'install: server + sql tool',
    ]);
    assert.ok(byName.get('temporal server')?.after.includes('schema (schema-setup.sh)'));
    assert.deepEqual(byName.get('install: server + sql tool')?.command.slice(-2), ['ensure_server_binaries', '1.2.3']);
    assert.equal(logName('install: server + sql tool'), 'install-server-sql-tool.log');
  });
});
