// Which swarm services `start` rolls out again to spread them (src/model/swarm-spread.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unevenServices } from '../../src/model/swarm-spread.js';

const anywhere = () => true;

test('two tasks of a service on one node while a ready node runs none: rolled out', () => {
  const tasks = [
    { service: 'history' as const, node: 'node2' },
    { service: 'history' as const, node: 'node2' },
    { service: 'frontend' as const, node: 'node1' },
    { service: 'frontend' as const, node: 'node2' },
  ];
  assert.deepEqual(unevenServices(tasks, ['node1', 'node2', 'node3'], anywhere), ['history']);
});

test('more tasks than nodes: doubled up but no node idle for it, so nothing moves', () => {
  const tasks = ['node1', 'node2', 'node1'].map((node) => ({ service: 'history' as const, node }));
  assert.deepEqual(unevenServices(tasks, ['node1', 'node2'], anywhere), []);
});

test('the idle node is not one the service may run on (its placement label): nothing moves', () => {
  const tasks = [
    { service: 'frontend-lb' as const, node: 'node1' },
    { service: 'frontend-lb' as const, node: 'node1' },
  ];
  assert.deepEqual(
    unevenServices(tasks, ['node1', 'node2'], (_s, node) => node === 'node1'),
    [],
  );
});

test('a node that is not ready does not count as idle; tasks without a node are ignored', () => {
  const tasks = [
    { service: 'history' as const, node: 'node2' },
    { service: 'history' as const, node: 'node2' },
    { service: 'history' as const },
  ];
  assert.deepEqual(unevenServices(tasks, ['node2'], anywhere), []);
});
