// The membership ring against the instances the config runs (src/probes/ring-probe.ts): members
// matched to containers by address, counts per role, shards per history instance, and the rows a
// healthy container that is not in the ring gets. The server's own answer is read for real in the
// e2e roles suite; here its shape is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackContainer } from '../../src/docker/container-state.js';
import type { ServiceStatus } from '../../src/probes/collect.js';
import { compactRanges, ringStatus, withRing } from '../../src/probes/ring-probe.js';
import { configFrom } from './stack-helpers.js';

const c = configFrom({ TEMPORAL_TOPOLOGY: 'roles', NUM_HISTORY_SHARDS: '8' });
const container = (instance: string, ip: string): StackContainer => ({
  service: instance.replace(/-\d+$/, '') as StackContainer['service'],
  instance,
  resourceId: instance.replace('-', '_'),
  addresses: [ip],
  id: instance,
  name: `temporal-${instance}`,
  image: 'i',
  imageId: 'sha256:i',
  state: 'running',
  health: 'healthy',
  restartCount: 0,
});
const containers = [
  container('frontend-1', '10.0.0.2'),
  container('frontend-2', '10.0.0.3'),
  container('history-1', '10.0.0.4'),
  container('history-2', '10.0.0.5'),
  container('matching-1', '10.0.0.6'),
  container('worker-1', '10.0.0.7'),
];
const full = {
  rings: [
    { role: 'frontend', members: ['10.0.0.2:7233', '10.0.0.3:7233'] },
    { role: 'history', members: ['10.0.0.4:7234', '10.0.0.5:7234'] },
    { role: 'matching', members: ['10.0.0.6:7235'] },
    { role: 'worker', members: ['10.0.0.7:7239'] },
  ],
  shardCount: 8,
  shards: { '10.0.0.4:7234': [1, 2, 3, 7], '10.0.0.5:7234': [4, 5, 6, 8] },
};
const row = (instance: string): ServiceStatus => ({
  service: instance.replace(/-\d+$/, '') as ServiceStatus['service'],
  instance,
  container: containers.find((x) => x.instance === instance)!,
  healthy: true,
  detail: 'container running',
});

describe('membership ring', () => {
  it('is complete when every instance of every role is a member and every shard has an owner', () => {
    const ring = ringStatus(c, containers, full);
    assert.equal(ring.complete, true);
    assert.equal(ring.detail, 'in ring: frontend 2/2, history 2/2, matching 1/1, worker 1/1');
    assert.deepEqual(ring.roles.find((r) => r.role === 'history')!.members, [
      { address: '10.0.0.4:7234', instance: 'history-1', shards: [1, 2, 3, 7] },
      { address: '10.0.0.5:7234', instance: 'history-2', shards: [4, 5, 6, 8] },
    ]);
  });

  it('names a missing instance and shards without an owner, and marks that row unhealthy', () => {
    const lost = {
      ...full,
      rings: full.rings.map((r) => (r.role === 'history' ? { ...r, members: ['10.0.0.4:7234'] } : r)),
      shards: { '10.0.0.4:7234': [1, 2, 3, 7] },
    };
    const ring = ringStatus(c, containers, lost);
    assert.equal(ring.complete, false);
    assert.match(ring.detail, /history 1\/2/);
    assert.match(ring.detail, /4 of 8 shards without an owner/);
    const rows = withRing([row('history-1'), row('history-2')], ring);
    assert.equal(rows[0]!.healthy, true);
    assert.match(rows[0]!.detail, /in ring, owns 4 of 8 shards \(1-3, 7\)/);
    assert.equal(rows[1]!.healthy, false);
    assert.match(rows[1]!.detail, /not in the membership ring/);
  });

  it('keeps a member no container has (a replaced instance not yet expired) without counting it', () => {
    const stale = {
      ...full,
      rings: full.rings.map((r) => (r.role === 'frontend' ? { ...r, members: [...r.members, '10.0.0.9:7233'] } : r)),
    };
    const frontend = ringStatus(c, containers, stale).roles.find((r) => r.role === 'frontend')!;
    assert.equal(frontend.joined, 2);
    assert.deepEqual(frontend.members.at(-1), { address: '10.0.0.9:7233', instance: null });
  });

  it('writes shard ids as ranges', () => {
    assert.equal(compactRanges([1, 2, 3, 5, 7, 8]), '1-3, 5, 7-8');
    assert.equal(compactRanges([]), '');
  });
});
