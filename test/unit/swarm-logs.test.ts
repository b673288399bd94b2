// The pure part of reading a swarm service's log: a line as the service-logs API writes it with
// timestamps and details, turned into the LogLine of the task's instance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceName, parseServiceLogLine, toLogLine } from '../../src/docker/swarm-logs.js';

const TIME = '2025-01-02T03:04:05.123456789Z';
const DETAILS = 'com.docker.swarm.node.id=n0d3,com.docker.swarm.service.id=s3rv1c3,com.docker.swarm.task.id=t4sk2';
const history = { service: 'history' as const, name: 'temporal-history' };
const slots = new Map([
  ['t4sk1', 1],
  ['t4sk2', 2],
]);

test('a timestamped, details-prefixed line becomes a line of the instance its task holds the slot of', () => {
  const entry = parseServiceLogLine(`${TIME} ${DETAILS} {"level":"info","msg":"shard acquired"}`);
  assert.deepEqual(entry, { time: TIME, taskId: 't4sk2', text: '{"level":"info","msg":"shard acquired"}' });
  assert.deepEqual(toLogLine(entry, 'stderr', history, slots), {
    service: 'history',
    instance: 'history-2',
    container: 'temporal-history.2',
    stream: 'stderr',
    time: TIME,
    text: '{"level":"info","msg":"shard acquired"}',
  });
});

test('the text keeps its own spaces and "=" signs; only the first field after the time is the details', () => {
  const entry = parseServiceLogLine(`${TIME} ${DETAILS}   a=b  c `);
  assert.equal(entry.text, '  a=b  c ');
  assert.equal(entry.taskId, 't4sk2');
});

test('query-escaped detail values are read unescaped, in any order among other attributes', () => {
  const entry = parseServiceLogLine(
    `${TIME} com.docker.swarm.task.id=t4sk%31,env.X=a+b%2Cc,com.docker.swarm.node.id=n hello`,
  );
  assert.equal(entry.taskId, 't4sk1');
  assert.equal(entry.text, 'hello');
});

test('a task id not (or no longer) listed gives the line to the service as a whole', () => {
  const entry = parseServiceLogLine(`${TIME} ${DETAILS.replace('t4sk2', 'g0ne')} bye`);
  assert.equal(entry.taskId, 'g0ne');
  const line = toLogLine(entry, 'stdout', history, slots);
  assert.equal(line.instance, 'history');
  assert.equal(line.container, 'temporal-history');
});

test('a line without details is all text, of no task', () => {
  const entry = parseServiceLogLine(`${TIME} plain message here`);
  assert.deepEqual(entry, { time: TIME, text: 'plain message here' });
  assert.equal(toLogLine(entry, 'stdout', history, slots).instance, 'history');
  // the field is there but empty (a line with no attributes): the double space is the separator
  assert.deepEqual(parseServiceLogLine(`${TIME}  indented? no`), { time: TIME, text: 'indented? no' });
  // no timestamp either
  assert.deepEqual(parseServiceLogLine('just text'), { time: '', text: 'just text' });
});

test('an empty message keeps its details and time', () => {
  assert.deepEqual(parseServiceLogLine(`${TIME} ${DETAILS} `), { time: TIME, taskId: 't4sk2', text: '' });
  assert.deepEqual(parseServiceLogLine(`${TIME} ${DETAILS}`), { time: TIME, taskId: 't4sk2', text: '' });
});

test('instances are named as swarm-tasks.ts names rows: by slot with replicas, by service without', () => {
  assert.equal(instanceName('history', 3), 'history-3');
  assert.equal(instanceName('postgresql', 1), 'postgresql');
  const pg = toLogLine(
    parseServiceLogLine(`${TIME} ${DETAILS.replace('t4sk2', 't4sk1')} ready`),
    'stdout',
    { service: 'postgresql', name: 'temporal-postgresql' },
    slots,
  );
  assert.equal(pg.instance, 'postgresql');
  assert.equal(pg.container, 'temporal-postgresql.1');
});
