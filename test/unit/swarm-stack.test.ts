// TEMPORAL_TARGET=swarm as synthesized: the same services as swarm services (one per service, its
// instances as replicas), the stores on the stores node, the client ports in host mode on the edge
// nodes, DNS round robin instead of virtual IPs, files as configs and keys as secrets named by their
// content, an attachable overlay network, and the schema job a container on the manager.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeCertificates } from '../../src/tls/files.js';
import { issueCertificates } from '../../src/tls/issue.js';
import { NODE_LABELS } from '../../src/model/swarm-placement.js';
import { DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/model/names-and-endpoints.js';
import { synth } from './stack-helpers.js';
import { runCli } from '../support/run-cli.js';
import { labelProblems } from '../../src/docker/swarm-nodes.js';
import { configFrom } from './stack-helpers.js';

const SWARM = {
  TEMPORAL_TARGET: 'swarm',
  TEMPORAL_TOPOLOGY: 'roles',
  TEMPORAL_VISIBILITY: 'postgres',
  TEMPORAL_IMAGE_REGISTRY: 'registry.example:5000',
  NUM_HISTORY_SHARDS: '16',
};
const service = (s: ReturnType<typeof synth>, id: string) => {
  const r = s.resources.docker_service?.[id];
  if (!r) throw new Error(`no docker_service.${id} in ${Object.keys(s.resources.docker_service ?? {}).join(', ')}`);
  return r;
};
const spec = (s: ReturnType<typeof synth>, id: string) => service(s, id).task_spec.container_spec;

describe('TEMPORAL_TARGET=swarm', () => {
  it('declares one swarm service per service, its instances as replicas; only the schema job stays a container', () => {
    const s = synth(SWARM);
    assert.deepEqual(Object.keys(s.resources.docker_service!).sort(), [
      'admin_tools',
      'frontend',
      'frontend_lb',
      'history',
      'matching',
      'postgresql',
      'ui',
      'worker',
    ]);
    assert.deepEqual(Object.keys(s.resources.docker_container!), ['schema']);
    assert.equal(service(s, 'history').mode.replicated.replicas, 2);
    assert.equal(service(s, 'frontend').mode.replicated.replicas, 2);
    assert.equal(service(s, 'history').name, 'temporal-history');
    assert.equal(spec(s, 'history').hostname, 'temporal-history-{{.Task.Slot}}');
    assert.equal(spec(s, 'history').env.TEMPORAL_SERVICES, 'history');
  });

  it('runs every image by the registry digest the manager resolved (the swarm pins tags to digests), from TEMPORAL_IMAGE_REGISTRY', () => {
    const s = synth(SWARM);
    const images = s.resources.docker_image!;
    const server = Object.entries(images).find(([, i]) => i.name === s.config.TEMPORAL_SERVER_IMAGE);
    assert.ok(
      server,
      Object.values(images)
        .map((i) => i.name)
        .join(', '),
    );
    assert.match(s.config.TEMPORAL_SERVER_IMAGE, /^registry\.example:5000\/temporalio\/server:/);
    assert.equal(spec(s, 'history').image, `\${docker_image.${server[0]}.repo_digest}`);
  });

  it('places the stores on the stores node and the balancer on the edge nodes; the roles anywhere', () => {
    const s = synth(SWARM);
    assert.deepEqual(service(s, 'postgresql').task_spec.placement.constraints, [
      `node.labels.${NODE_LABELS.stores}==true`,
    ]);
    assert.deepEqual(service(s, 'frontend_lb').task_spec.placement.constraints, [
      `node.labels.${NODE_LABELS.edge}==true`,
    ]);
    assert.equal(service(s, 'history').task_spec.placement, undefined);
  });

  it('publishes only the client ports, in host mode, and resolves every service by DNS round robin', () => {
    const s = synth(SWARM);
    for (const id of Object.keys(s.resources.docker_service!))
      assert.equal(service(s, id).endpoint_spec.mode, 'dnsrr', id);
    assert.deepEqual(
      service(s, 'frontend_lb').endpoint_spec.ports.map((p: Record<string, unknown>) => [
        p.target_port,
        p.published_port,
        p.publish_mode,
      ]),
      [
        [7233, s.config.TEMPORAL_GRPC_PORT, 'host'],
        [7243, s.config.TEMPORAL_HTTP_PORT, 'host'],
      ],
    );
    assert.equal(service(s, 'postgresql').endpoint_spec.ports, undefined, 'the store stays on the overlay');
  });

  it('rolls one task at a time with rollback; start-first unless a volume or a host port forbids two tasks side by side', () => {
    const s = synth(SWARM);
    const update = (id: string) => service(s, id).update_config;
    assert.deepEqual(
      [update('history').parallelism, update('history').order, update('history').failure_action],
      [1, 'start-first', 'rollback'],
    );
    assert.equal(update('postgresql').order, 'stop-first');
    assert.equal(update('frontend_lb').order, 'stop-first');
    assert.match(service(s, 'history').converge_config.timeout, /^\d+s$/);
  });

  it("leaves PostgreSQL's environment (read at initdb only) and restart's force counter out of the plan", () => {
    const s = synth(SWARM);
    const ignored = (id: string) => service(s, id).lifecycle.ignore_changes as string[];
    assert.ok(ignored('postgresql').includes('task_spec[0].container_spec[0].env'), ignored('postgresql').join(', '));
    assert.ok(!ignored('history').includes('task_spec[0].container_spec[0].env'), 'the server takes a new password');
    assert.ok(ignored('history').includes('task_spec[0].force_update'));
  });

  it('mounts the store volume by name (created on its node) with the project labels; no docker_volume', () => {
    const s = synth(SWARM);
    const [mount] = spec(s, 'postgresql').mounts;
    assert.equal(mount.type, 'volume');
    assert.equal(mount.source, 'temporal-postgres-data');
    assert.ok(
      mount.volume_options.labels.some((l: { label: string; value: string }) => l.label === 'io.temporal-ctl.project'),
    );
    assert.equal(s.resources.docker_volume, undefined);
  });

  it('names the network by id for provider 4.x (which reads a name back as a replacement), by name for 3.x', () => {
    const v4 = service(synth({ ...SWARM, TEMPORAL_DOCKER_PROVIDER_VERSION: '4.6.0' }), 'history').task_spec;
    assert.deepEqual(v4.networks_advanced, [{ id: '${docker_network.network.id}' }]);
    const v3 = service(synth({ ...SWARM, TEMPORAL_DOCKER_PROVIDER_VERSION: '3.6.2' }), 'history').task_spec;
    assert.deepEqual(v3.networks_advanced, [{ name: '${docker_network.network.id}' }]);
  });

  it('an attachable overlay network, encrypted when TEMPORAL_SWARM_ENCRYPT=true', () => {
    const plain = synth(SWARM).resources.docker_network!.network;
    assert.deepEqual([plain.driver, plain.attachable, plain.options], ['overlay', true, undefined]);
    const encrypted = synth({ ...SWARM, TEMPORAL_SWARM_ENCRYPT: 'true' }).resources.docker_network!.network;
    assert.deepEqual(encrypted.options, { encrypted: 'true' });
  });

  it('files as configs named by content (an edit is a new config), private keys as secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-swarm-tls-'));
    const paths = await writeCertificates(
      join(dir, 'certs'),
      issueCertificates({ serverNames: ['temporal-server'] }),
      false,
    );
    const tls = {
      TEMPORAL_TLS: 'server',
      TEMPORAL_TLS_SERVER_CERT_PATH: paths.serverCert,
      TEMPORAL_TLS_SERVER_KEY_PATH: paths.serverKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: paths.ca,
      TEMPORAL_TLS_CLIENT_CERT_PATH: '',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '',
    };
    const s = synth({ ...SWARM, ...tls });
    const history = spec(s, 'history');
    const files = (kind: 'configs' | 'secrets') =>
      (history[kind] as { file_name: string; config_name?: string; secret_name?: string }[]).map((f) => f.file_name);
    assert.ok(files('configs').includes(DYNAMIC_CONFIG_CONTAINER_PATH), files('configs').join(', '));
    assert.deepEqual(files('secrets'), ['/etc/temporal/tls/server-key.pem']);
    const secret = Object.values(s.resources.docker_secret!)[0] as { name: string; lifecycle: unknown };
    assert.match(secret.name, /-[0-9a-f]{12}$/);
    assert.deepEqual(secret.lifecycle, { create_before_destroy: true });
    const edited = synth(
      { ...SWARM, ...tls },
      { dynamicConfigContent: 'frontend.enableUpdateWorkflowExecution:\n  - value: true\n' },
    );
    const names = (x: ReturnType<typeof synth>) =>
      Object.values(x.resources.docker_config!)
        .map((c) => c.name)
        .sort();
    assert.notDeepEqual(names(edited), names(s), 'new content, new config names');
  });
});

describe('the CLI with TEMPORAL_TARGET=swarm', () => {
  const envFile = join(mkdtempSync(join(tmpdir(), 'tctl-swarm-cli-')), 'temporal.env');
  writeFileSync(envFile, 'TEMPORAL_TARGET=swarm\n');
  const env = { PATH: process.env.PATH, NO_COLOR: '1', TEMPORAL_ENV_FILE: envFile };
  it('refuses the commands that do not know a swarm yet (exit 2, one line naming the way out), before the engine is asked', async () => {
    for (const argv of [['top'], ['images', 'pull']]) {
      const r = await runCli(argv, { env });
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        new RegExp(
          `TEMPORAL_TARGET: \`temporal-ctl ${argv.join(' ')}\` does not run against a swarm yet \\(docs/swarm\\.md lists the commands that do\\); use TEMPORAL_TARGET=host for it`,
        ),
      );
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    }
  });
  it('runs the ones that need no engine', async () => {
    const r = await runCli(['config', 'check'], { env });
    assert.equal(r.code, 0, r.stderr);
  });
});

describe("start's preflight on a swarm: the placement labels", () => {
  const node = (labels: Record<string, string>, state = 'ready') => ({
    ID: 'n1',
    Spec: { Labels: labels, Availability: 'active' },
    Status: { State: state },
  });
  const c = configFrom(SWARM);
  it('names each missing label with the services placed by it and the command that adds it', () => {
    assert.deepEqual(labelProblems(c, [node({})]), [
      `no ready node of the swarm is labelled ${NODE_LABELS.stores}=true, which postgresql is placed on; label one with \`docker node update --label-add ${NODE_LABELS.stores}=true NODE\``,
      `no ready node of the swarm is labelled ${NODE_LABELS.edge}=true, which frontend-lb, ui are placed on; label one with \`docker node update --label-add ${NODE_LABELS.edge}=true NODE\``,
    ]);
  });
  it('counts only ready, active nodes', () => {
    const both = { [NODE_LABELS.stores]: 'true', [NODE_LABELS.edge]: 'true' };
    assert.deepEqual(labelProblems(c, [node(both)]), []);
    assert.equal(labelProblems(c, [node(both, 'down')]).length, 2);
  });
});
