// The plan in the cluster's terms, from real terraform plans: each fixture is `terraform show -json`
// of a plan terraform 1.11 and kreuzwerker/docker made against a deployed cluster (recorded by
// test/support/record-plans.ts; the project was tctl-hplan-rec, PostgreSQL visibility).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import {
  attributePath,
  changedEnv,
  disruptiveReplacements,
  forcingAttributes,
  plannedAction,
  summarizePlan,
  volumeLosses,
  type ClusterPlan,
  type TerraformPlanJson,
} from '../../src/deploy/plan-summary.js';
import { guardPlan } from '../../src/lifecycle/plan-and-guard.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { planLines } from '../../src/commands/plan-render.js';
import { Output } from '../../src/output.js';
import { OperationError } from '../../src/errors.js';
import { loadConfig } from '../../src/project/load.js';

const recorded = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/terraform-plans', `${name}.json`), 'utf8'));
const plan = (name: string): ClusterPlan => summarizePlan(recorded(name));
const brief = (p: ClusterPlan) => p.changes.map((c) => [c.kind, c.name, c.action]);
const config = loadConfig({ env: { TEMPORAL_PROJECT: 'tctl-hplan-rec', TEMPORAL_VISIBILITY: 'postgres' } }).config;

describe('a terraform plan in the cluster terms', () => {
  it('right after start: nothing pending', () => {
    assert.deepEqual(plan('no-change'), { changes: [], pending: false });
  });

  it('POSTGRES_PASSWORD changed: postgresql, schema and server are replaced, forced by env, naming the variables', () => {
    const p = plan('postgres-password');
    assert.equal(p.pending, true);
    assert.deepEqual(
      p.changes.map((c) => [c.name, c.action, c.forcedBy, c.changedEnv]),
      [
        ['postgresql', 'replace', ['env'], ['POSTGRES_PASSWORD']],
        ['schema', 'replace', ['env'], ['POSTGRES_PWD']],
        ['server', 'replace', ['env'], ['POSTGRES_PWD']],
      ],
    );
    // The one-shot schema job has no downtime; the store and the server do.
    assert.deepEqual(
      disruptiveReplacements(p).map((c) => c.name),
      ['postgresql', 'server'],
    );
    assert.deepEqual(volumeLosses(p), []);
  });

  it('a server whose create was cut short (tainted: Ctrl-C, --timeout) is created again without asking', () => {
    // The recorded password plan, with the server's replace as terraform plans a tainted resource
    // (action_reason replace_because_tainted, no replace_paths); test/e2e/interrupt.test.ts makes a real one.
    const json = recorded('postgres-password');
    const tainted: TerraformPlanJson = {
      ...json,
      resource_changes: json.resource_changes?.map((r) =>
        r.address === 'docker_container.server'
          ? { ...r, action_reason: 'replace_because_tainted', change: { ...r.change, replace_paths: undefined } }
          : r,
      ),
    };
    const p = summarizePlan(tainted);
    const server = p.changes.find((c) => c.name === 'server')!;
    assert.equal(server.tainted, true);
    assert.deepEqual(
      disruptiveReplacements(p).map((c) => c.name),
      ['postgresql'],
    );
  });

  it('TEMPORAL_MEMORY changed: the server is updated in place (memory), nothing replaced', () => {
    const p = plan('server-memory');
    assert.deepEqual(brief(p), [['service', 'server', 'update']]);
    assert.ok(p.changes[0]!.attributes!.includes('memory'), String(p.changes[0]!.attributes));
    assert.equal(p.changes[0]!.forcedBy, undefined);
    assert.deepEqual(disruptiveReplacements(p), []);
  });

  it('switched to elasticsearch visibility: services first in start order, then the new volume and image', () => {
    const p = plan('visibility-elasticsearch');
    assert.deepEqual(brief(p), [
      ['service', 'elasticsearch', 'create'],
      ['service', 'schema', 'replace'],
      ['service', 'server', 'replace'],
      ['volume', 'tctl-hplan-rec-elasticsearch-data', 'create'],
      ['image', 'localhost/tctl-e2e/elasticsearch:7.17.27', 'create'],
    ]);
    assert.equal(p.changes[3]!.service, 'elasticsearch');
    assert.ok(p.changes[2]!.changedEnv!.includes('ENABLE_ES'));
  });

  it('a failed one-shot run again: a requested replace, not one forced by a change', () => {
    const p = plan('schema-rerun');
    assert.deepEqual(brief(p), [['service', 'schema', 'replace']]);
    assert.equal(p.changes[0]!.requested, true);
    assert.equal(p.changes[0]!.forcedBy, undefined);
  });

  it('a volume replaced (the guard removed): named by its Docker name, forced by labels, counted as a loss', () => {
    const p = plan('volume-label-unguarded');
    assert.deepEqual(brief(p), [['volume', 'tctl-hplan-rec-postgres-data', 'replace']]);
    assert.deepEqual(p.changes[0]!.forcedBy, ['labels']);
    assert.deepEqual(
      volumeLosses(p).map((c) => [c.name, c.service]),
      [['tctl-hplan-rec-postgres-data', 'postgresql']],
    );
  });

  it("terraform's actions and paths", () => {
    assert.equal(plannedAction(['delete', 'create']), 'replace');
    assert.equal(plannedAction(['create', 'delete']), 'replace');
    assert.equal(plannedAction(['no-op']), undefined);
    assert.equal(plannedAction(['read']), undefined);
    assert.equal(attributePath(['upload', 0, 'content']), 'upload[0].content');
    // A stopped container's ports are not read back, and terraform lists each of their fields.
    assert.deepEqual(
      forcingAttributes([['ports', 0, 'protocol'], ['ports', 0, 'internal'], ['ports'], ['upload', 0, 'content']]),
      ['ports', 'upload[0].content'],
    );
    assert.deepEqual(changedEnv(['A=1', 'B=2', 'C=x=y'], ['A=1', 'B=3', 'C=x=z', 'D=']), ['B', 'C', 'D']);
  });
});

describe('the guard start puts before the apply', () => {
  const events: LifecycleEvent[] = [];
  const emit = (e: LifecycleEvent) => events.push(e);

  it('refuses a plan that replaces a volume, naming it, without asking', async () => {
    let asked = false;
    await assert.rejects(
      guardPlan(config, plan('volume-label-unguarded'), async () => void (asked = true), emit),
      (e: unknown) =>
        e instanceof OperationError &&
        /volume tctl-hplan-rec-postgres-data/.test(e.message) &&
        /down --volumes/.test(e.hint ?? ''),
    );
    assert.equal(asked, false);
  });

  it('shows the downtime of postgresql and server and asks once; a refusal propagates', async () => {
    events.length = 0;
    const asked: string[] = [];
    await guardPlan(config, plan('postgres-password'), async (a) => void asked.push(a), emit);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /replace postgresql and server/);
    assert.deepEqual(
      events.map((e) => e.type === 'replace-downtime' && [e.service, e.changedEnv]),
      [
        ['postgresql', ['POSTGRES_PASSWORD']],
        ['server', ['POSTGRES_PWD']],
      ],
    );
    await assert.rejects(
      guardPlan(
        config,
        plan('postgres-password'),
        async () => {
          throw new OperationError('no');
        },
        emit,
      ),
      /no/,
    );
  });

  it('lets an in-place update, a new service and a job rerun through without asking', async () => {
    for (const name of ['no-change', 'server-memory', 'schema-rerun']) {
      await guardPlan(config, plan(name), async () => assert.fail(`asked for ${name}`), emit);
    }
  });
});

describe('the plan as text', () => {
  const out = new Output({ stdout: process.stdout, stderr: process.stderr }, 'never', {});
  it('one line per change, aligned, with what forces a replace', () => {
    assert.deepEqual(
      planLines(out, 's', plan('postgres-password')),
      [
        's: 3 changes',
        '  postgresql  replace (forced by env: POSTGRES_PASSWORD)',
        '  schema      replace (forced by env: POSTGRES_PWD)',
        '  server      replace (forced by env: POSTGRES_PWD)',
      ].map((l, i) => (i === 0 ? `stack ${l}` : l)),
    );
    assert.deepEqual(planLines(out, 's', plan('no-change')), ['stack s: no changes, the cluster runs as configured']);
  });
});
