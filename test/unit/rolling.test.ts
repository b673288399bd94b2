// Which replacements a roles plan rolls, in what order, and what the guard shows and asks for them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterPlan, PlannedChange } from '../../src/deploy/plan-summary.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { guardPlan } from '../../src/lifecycle/plan-and-guard.js';
import { ROLL_ORDER, rollingReplacements } from '../../src/lifecycle/rolling.js';
import { SERVER_ROLES, type ServerRole } from '../../src/model/server-roles.js';
import { containerAddress, instanceOf, parseInstance, serviceDecl } from '../../src/model/service-facts.js';
import { loadConfig } from '../../src/project/load.js';

const replaced = (name: string, extra: Partial<PlannedChange> = {}): PlannedChange => {
  const i = parseInstance(name)!;
  return {
    address: containerAddress(i),
    kind: 'service',
    name,
    service: i.service,
    action: 'replace',
    forcedBy: ['image'],
    ...extra,
  };
};
const planOf = (...changes: PlannedChange[]): ClusterPlan => ({ changes, pending: true });
const roles = loadConfig({
  env: { TEMPORAL_PROJECT: 'tctl-roll', TEMPORAL_TOPOLOGY: 'roles', TEMPORAL_VISIBILITY: 'postgres' },
}).config;
const single = loadConfig({ env: { TEMPORAL_PROJECT: 'tctl-roll', TEMPORAL_VISIBILITY: 'postgres' } }).config;

describe('rolling replacements', () => {
  // An upgrade's plan: every role instance and admin-tools replaced, in the plan's own order.
  const upgrade = planOf(
    replaced('frontend-2'),
    replaced('frontend-1'),
    replaced('history-2'),
    replaced('history-1'),
    replaced('matching-1'),
    replaced('worker-1'),
    replaced('admin-tools'),
  );

  it('rolls the role instances only: history, matching, the frontends, then worker, each by number', () => {
    assert.deepEqual(
      rollingReplacements(upgrade).map((c) => c.name),
      ['history-1', 'history-2', 'matching-1', 'frontend-1', 'frontend-2', 'worker-1'],
    );
    assert.equal(containerAddress(instanceOf('history', 10)), 'docker_container.history_10');
    assert.deepEqual(
      rollingReplacements(planOf(replaced('history-10'), replaced('history-9'))).map((c) => c.name),
      ['history-9', 'history-10'],
      'numbers compare as numbers',
    );
  });

  it('every role rolls after the roles it starts after (a targeted apply replaces its dependencies with it)', () => {
    for (const [index, role] of ROLL_ORDER.entries())
      for (const dependency of serviceDecl(role).after)
        if (ROLL_ORDER.includes(dependency as ServerRole))
          assert.ok(ROLL_ORDER.indexOf(dependency as ServerRole) < index, `${role} rolls before ${dependency}`);
    assert.deepEqual([...ROLL_ORDER].sort(), [...SERVER_ROLES].sort());
  });

  it('a tainted instance (its create failed) and a created or deleted one are not rolled', () => {
    const p = planOf(
      replaced('history-1', { tainted: true }),
      { ...replaced('history-3'), action: 'create' },
      { ...replaced('frontend-2'), action: 'delete' },
    );
    assert.deepEqual(rollingReplacements(p), []);
  });

  it('the guard names the rolled instances, shows no downtime for a role with others serving, and asks once', async () => {
    const events: LifecycleEvent[] = [];
    const asked: string[] = [];
    const p = planOf(replaced('history-1'), replaced('history-2'), replaced('frontend-1'), replaced('frontend-2'));
    await guardPlan(
      roles,
      p,
      async (a) => void asked.push(a),
      (e) => events.push(e),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['rolling-planned'],
    );
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /one instance at a time, each healthy and in its ring before the next/);
  });

  it('a role with one instance still shows its downtime (matching x1 by default)', async () => {
    const events: LifecycleEvent[] = [];
    const asked: string[] = [];
    await guardPlan(
      roles,
      planOf(replaced('matching-1'), replaced('history-1')),
      async (a) => void asked.push(a),
      (e) => events.push(e),
    );
    assert.deepEqual(
      events.map((e) => (e.type === 'replace-downtime' ? `${e.type} ${e.service}` : e.type)),
      ['rolling-planned', 'replace-downtime matching'],
    );
  });

  it('with TEMPORAL_TOPOLOGY=single nothing is rolled: the server is replaced as before', async () => {
    const events: LifecycleEvent[] = [];
    const asked: string[] = [];
    await guardPlan(
      single,
      planOf(replaced('server')),
      async (a) => void asked.push(a),
      (e) => events.push(e),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['replace-downtime'],
    );
    assert.match(asked[0]!, /down until the new container is healthy/);
  });
});
