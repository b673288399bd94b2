// TEMPORAL_TOPOLOGY=roles as synthesized: one container per instance of each role (names, labels,
// Terraform ids and memory from the replica counts), each running only its role, the balancer in
// front of the frontends holding the client ports, and the clients pointed at it. `single` is unchanged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enabledInstances, memoryBudget, parseInstance, publishedPorts } from '../../src/model/service-facts.js';
import { ROLE_FACTS, SERVER_ROLES } from '../../src/model/server-roles.js';
import { balancerConf } from '../../stacks/constructs/frontend-balancer.js';
import { configFrom, synth } from './stack-helpers.js';
import { parseConfig } from '../../src/project/parse.js';
import { parseRoleCount } from '../../src/lifecycle/scale.js';

const ROLES = { TEMPORAL_TOPOLOGY: 'roles' };

describe('TEMPORAL_TOPOLOGY=roles', () => {
  it('runs one container per instance, named <project>-<role>-<n>, with the instance label and its own Terraform id', () => {
    const s = synth({ ...ROLES, TEMPORAL_HISTORY_REPLICAS: '3' });
    const ids = Object.keys(s.resources.docker_container!);
    for (const id of [
      'history_1',
      'history_2',
      'history_3',
      'matching_1',
      'frontend_1',
      'frontend_2',
      'worker_1',
      'frontend_lb',
    ])
      assert.ok(ids.includes(id), `docker_container.${id} in ${ids.join(', ')}`);
    assert.ok(!ids.includes('server'), 'no all-roles server container');
    assert.equal(s.container('history_3').name, 'temporal-history-3');
    assert.equal(s.labels('history_3')['io.temporal-ctl.instance'], 'history-3');
    assert.equal(s.labels('history_3')['io.temporal-ctl.service'], 'history');
    assert.equal(s.labels('frontend_lb')['io.temporal-ctl.instance'], undefined);
  });

  it('starts only its role in each container, on its own ports, under the role name shared by its instances', () => {
    const s = synth(ROLES);
    for (const role of SERVER_ROLES) {
      const env = s.env(`${role}_1`);
      assert.equal(env.TEMPORAL_SERVICES, role);
      assert.equal(env[ROLE_FACTS[role].portVariables.grpc], String(ROLE_FACTS[role].grpcPort));
      assert.equal(env[ROLE_FACTS[role].portVariables.membership], String(ROLE_FACTS[role].membershipPort));
      assert.equal(env.BIND_ON_IP, '0.0.0.0', 'the entrypoint then broadcasts the container address');
      assert.deepEqual(s.container(`${role}_1`).networks_advanced[0].aliases, [`temporal-${role}`]);
      assert.equal(s.container(`${role}_1`).ports, undefined, `${role} publishes nothing`);
    }
    assert.deepEqual(s.container('worker_1').depends_on, [
      'docker_container.frontend_1',
      'docker_container.frontend_2',
    ]);
  });

  it('publishes the gRPC and HTTP ports on the balancer only, and points the UI and admin-tools at it', () => {
    const c = configFrom(ROLES);
    const owners = publishedPorts(c).filter((p) => p.key === 'TEMPORAL_GRPC_PORT' || p.key === 'TEMPORAL_HTTP_PORT');
    assert.deepEqual(
      owners.map((p) => p.service),
      ['frontend-lb', 'frontend-lb'],
    );
    const s = synth(ROLES);
    assert.deepEqual(
      s.container('frontend_lb').ports.map((p: { internal: number; external: number }) => [p.internal, p.external]),
      [
        [7233, c.TEMPORAL_GRPC_PORT],
        [7243, c.TEMPORAL_HTTP_PORT],
      ],
    );
    assert.equal(s.env('ui').TEMPORAL_ADDRESS, 'temporal-frontend-lb:7233');
    const conf = s.container('frontend_lb').upload[0].content as string;
    assert.match(conf, /grpc_pass grpc:\/\/\$frontends:7233;/);
    assert.match(conf, /set \$frontends temporal-frontend;/);
    assert.match(conf, /resolver 127\.0\.0\.11 valid=2s/);
  });

  it('counts every instance in the memory budget and the container list', () => {
    const c = configFrom({ ...ROLES, TEMPORAL_FRONTEND_REPLICAS: '3' });
    const frontend = memoryBudget(c).parts.find((p) => p.service === 'frontend')!;
    assert.equal(frontend.mib, 3 * c.TEMPORAL_FRONTEND_MEMORY.mib);
    assert.deepEqual(
      enabledInstances(c)
        .filter((i) => i.service === 'frontend')
        .map((i) => i.name),
      ['frontend-1', 'frontend-2', 'frontend-3'],
    );
  });

  it('parses instance names users type', () => {
    assert.deepEqual(parseInstance('history-2'), {
      service: 'history',
      name: 'history-2',
      ordinal: 2,
      resourceId: 'history_2',
    });
    assert.equal(parseInstance('history')?.name, undefined, 'a service with replicas needs its number');
    assert.equal(parseInstance('server')?.name, 'server');
    assert.equal(parseInstance('ui-proxy')?.name, 'ui-proxy', 'a dash in a service name is not an instance number');
    assert.equal(parseInstance('history-0'), undefined);
  });

  it('keeps single as it was: one server container with every role and the client ports', () => {
    const s = synth();
    const ids = Object.keys(s.resources.docker_container!);
    assert.ok(ids.includes('server'));
    assert.ok(!ids.some((id) => /^(frontend|history|matching|worker)/.test(id)), ids.join(', '));
    assert.equal(s.env('server').TEMPORAL_SERVICES, undefined);
  });

  it('warns when the history instances have fewer than 8 shards each, naming the count to choose', () => {
    const few = parseConfig({ env: { ...ROLES, NUM_HISTORY_SHARDS: '4', TEMPORAL_HISTORY_REPLICAS: '2' } });
    assert.equal(few.ok, true);
    assert.deepEqual(few.ok ? few.warnings.filter((w) => w.startsWith('NUM_HISTORY_SHARDS')) : [], [
      'NUM_HISTORY_SHARDS: 4 shards for 2 history instances can leave an instance with none (the ring hashes shards to instances unevenly); a new cluster should have at least 16, since the count is fixed once the cluster has data (set in the environment)',
    ]);
    for (const env of [
      { ...ROLES, NUM_HISTORY_SHARDS: '16', TEMPORAL_HISTORY_REPLICAS: '2' },
      { ...ROLES, NUM_HISTORY_SHARDS: '4', TEMPORAL_HISTORY_REPLICAS: '1' },
      { NUM_HISTORY_SHARDS: '4' },
    ]) {
      const r = parseConfig({ env });
      assert.deepEqual(
        r.ok ? r.warnings.filter((w) => w.startsWith('NUM_HISTORY_SHARDS')) : ['not ok'],
        [],
        JSON.stringify(env),
      );
    }
  });

  it('gives each role instance fixed PostgreSQL pools and refuses counts whose pools leave PostgreSQL too few connections', () => {
    const s = synth(ROLES);
    assert.equal(s.env('history_1').SQL_MAX_CONNS, String(ROLE_FACTS.history.sqlPool.persistence));
    assert.equal(s.env('frontend_1').SQL_VIS_MAX_CONNS, String(ROLE_FACTS.frontend.sqlPool.visibility));
    const shards = { NUM_HISTORY_SHARDS: '16' };
    const ok = parseConfig({ env: { ...ROLES, ...shards, TEMPORAL_HISTORY_REPLICAS: '6' } });
    assert.equal(ok.ok, true, ok.ok ? '' : ok.errors.join('; '));
    const tooMany = parseConfig({ env: { ...ROLES, ...shards, TEMPORAL_HISTORY_REPLICAS: '8' } });
    assert.match(
      tooMany.ok ? '' : tooMany.errors.join('\n'),
      /would open up to 100 PostgreSQL connections, more than the 80 of its 100/,
    );
  });

  it('refuses more history instances than shards (one would own none), naming the key and the most it takes', () => {
    assert.equal(parseConfig({ env: { ...ROLES, TEMPORAL_HISTORY_REPLICAS: '4' } }).ok, true, 'four of four shards');
    const r = parseConfig({ env: { ...ROLES, TEMPORAL_HISTORY_REPLICAS: '5' } });
    assert.match(
      r.ok ? '' : r.errors.join('\n'),
      /^TEMPORAL_HISTORY_REPLICAS: 5 history instances for 4 shards \(NUM_HISTORY_SHARDS\) .*run at most 4/m,
    );
    assert.equal(parseConfig({ env: { TEMPORAL_HISTORY_REPLICAS: '5' } }).ok, true, 'single runs no history instances');
  });

  it('reads a scale argument as ROLE=COUNT and names the form otherwise', () => {
    assert.deepEqual(parseRoleCount('history=3'), ['history', '3']);
    assert.throws(() => parseRoleCount('histroy=3'), /"histroy=3" is not ROLE=COUNT; use one of frontend=N, history=N/);
    assert.throws(() => parseRoleCount('history'), /is not ROLE=COUNT/);
  });

  it('balances gRPC per call over HTTP/2 and retries a call whose frontend connection fails', () => {
    const conf = balancerConf({ grpc: 7233, http: 7243 }, 'p-frontend', { grpc: 7233, http: 7243 });
    assert.match(conf, /listen 7233 http2;/);
    assert.match(conf, /grpc_next_upstream error timeout;/);
    assert.match(conf, /proxy_pass http:\/\/\$frontends:7243;/);
    // Far above nginx's 128: an SDK's long polls share one connection (the e2e awaits 200 results at once).
    assert.match(conf, /http2_max_concurrent_streams 4096;/);
  });
});
