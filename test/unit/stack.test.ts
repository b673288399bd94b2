// The synthesized Terraform JSON of the default (development, Elasticsearch) stack.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import { DYNAMIC_CONFIG_CONTAINER_PATH, LABELS } from '../../src/model/names-and-endpoints.js';
import { schemaJobEnv, serverEnv, stackPlacement, type Env } from '../../src/model/temporal-env.js';
import { synth } from './stack-helpers.js';

const envList = (env: Env): string[] => Object.entries(env).map(([k, v]) => `${k}=${v}`);

const s = synth();
const CONTAINERS = ['postgresql', 'elasticsearch', 'schema', 'server', 'ui', 'admin_tools'];

test('each service runs its pinned image through a kept-locally docker_image', () => {
  const images = s.resources.docker_image!;
  const names = Object.values(images)
    .map((i) => i.name)
    .sort();
  assert.deepEqual(names, [
    'elasticsearch:7.17.27',
    'postgres:16',
    'temporalio/admin-tools:1.32.2',
    'temporalio/server:1.32.2',
    'temporalio/ui:2.55.0',
  ]);
  for (const image of Object.values(images)) assert.equal(image.keep_locally, true);
  assert.equal(s.container('server').image, '${docker_image.image_temporalio_server_1_32_2.image_id}');
  assert.equal(s.container('schema').image, '${docker_image.image_temporalio_admin_tools_1_32_2.image_id}');
  assert.equal(s.container('admin_tools').image, s.container('schema').image);
});

test('no image uses a latest tag', () => {
  for (const image of Object.values(s.resources.docker_image!)) assert.doesNotMatch(image.name, /:latest$|^[^:]+$/);
});

test('ports are published on 127.0.0.1 by default and nothing on 0.0.0.0', () => {
  assert.ok(
    Testing.toHaveResourceWithProperties(s.json, Container.tfResourceType, {
      name: 'temporal-server',
      ports: [
        { internal: 7233, external: 7233, ip: '127.0.0.1', protocol: 'tcp' },
        { internal: 7243, external: 7243, ip: '127.0.0.1', protocol: 'tcp' },
        { internal: 8000, external: 7244, ip: '127.0.0.1', protocol: 'tcp' },
      ],
    }),
  );
  assert.deepEqual(s.container('ui').ports, [{ internal: 8080, external: 8088, ip: '127.0.0.1', protocol: 'tcp' }]);
  assert.deepEqual(s.container('postgresql').ports, [
    { internal: 5432, external: 5433, ip: '127.0.0.1', protocol: 'tcp' },
  ]);
  assert.deepEqual(s.container('elasticsearch').ports, [
    { internal: 9200, external: 9200, ip: '127.0.0.1', protocol: 'tcp' },
  ]);
  assert.equal(s.container('schema').ports, undefined);
  assert.equal(s.container('admin_tools').ports, undefined);
  for (const id of CONTAINERS) for (const p of s.container(id).ports ?? []) assert.equal(p.ip, '127.0.0.1', id);
  const anyAddress = s.json.match(/[^"\n]*0\.0\.0\.0[^"\n]*/g);
  assert.deepEqual(
    anyAddress,
    ['BIND_ON_IP=0.0.0.0', 'PROMETHEUS_ENDPOINT=0.0.0.0:8000'],
    'only the server binds all interfaces (its roles and its metrics endpoint), inside its container',
  );
});

test('every container joins the project network and nothing else', () => {
  assert.equal(s.resources.docker_network!.network!.name, 'temporal-network');
  assert.equal(s.resources.docker_network!.network!.driver, 'bridge');
  for (const id of CONTAINERS)
    assert.deepEqual(s.container(id).networks_advanced, [{ name: '${docker_network.network.name}' }], id);
});

test('containers, network and volumes carry the project, stack and service labels', () => {
  const expected = (service?: string) => ({
    [LABELS.project]: 'temporal',
    [LABELS.stack]: 'temporal-development',
    ...(service ? { [LABELS.service]: service } : {}),
  });
  const services: Record<string, string> = {
    postgresql: 'postgresql',
    elasticsearch: 'elasticsearch',
    schema: 'schema',
    server: 'server',
    ui: 'ui',
    admin_tools: 'admin-tools',
  };
  for (const [id, service] of Object.entries(services)) assert.deepEqual(s.labels(id), expected(service), id);
  assert.deepEqual(s.labels('network', 'docker_network'), expected());
  assert.deepEqual(s.labels('postgres_data', 'docker_volume'), expected('postgresql'));
  assert.deepEqual(s.labels('elasticsearch_data', 'docker_volume'), expected('elasticsearch'));
});

test('named volumes hold the data and are protected from destroy', () => {
  assert.ok(
    Testing.toHaveResourceWithProperties(s.json, Volume.tfResourceType, {
      name: 'temporal-postgres-data',
      lifecycle: { prevent_destroy: true },
    }),
  );
  assert.ok(
    Testing.toHaveResourceWithProperties(s.json, Volume.tfResourceType, {
      name: 'temporal-elasticsearch-data',
      lifecycle: { prevent_destroy: true },
    }),
  );
  assert.deepEqual(s.container('postgresql').mounts, [
    { type: 'volume', source: '${docker_volume.postgres_data.name}', target: '/var/lib/postgresql/data' },
  ]);
  assert.deepEqual(s.container('elasticsearch').mounts, [
    { type: 'volume', source: '${docker_volume.elasticsearch_data.name}', target: '/usr/share/elasticsearch/data' },
  ]);
});

test('PostgreSQL gets its credentials, a pg_isready healthcheck over TCP, a memory limit and a restart policy', () => {
  const pg = s.container('postgresql');
  assert.deepEqual(s.env('postgresql'), { POSTGRES_USER: 'temporal', POSTGRES_PASSWORD: 'temporal' });
  assert.deepEqual(pg.healthcheck.test, ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -p 5432 -U temporal -d postgres']);
  assert.equal(pg.memory, 512);
  assert.equal(pg.restart, 'unless-stopped');
  assert.equal(pg.wait, true);
});

test('Elasticsearch runs single-node without security in development, heap from config, memory twice the heap', () => {
  const env = s.env('elasticsearch');
  assert.equal(env['discovery.type'], 'single-node');
  assert.equal(env['xpack.security.enabled'], 'false');
  assert.equal(env.ELASTIC_PASSWORD, undefined);
  assert.equal(env.ES_JAVA_OPTS, '-Xms512m -Xmx512m');
  assert.equal(env['cluster.routing.allocation.disk.threshold_enabled'], 'true');
  assert.equal(env['cluster.routing.allocation.disk.watermark.flood_stage'], '512mb');
  assert.equal(s.container('elasticsearch').memory, 1024);
  assert.match(
    s.container('elasticsearch').healthcheck.test[1],
    /^curl -fsS 'http:\/\/127\.0\.0\.1:9200\/_cluster\/health\?wait_for_status=yellow&timeout=1s'/,
  );
});

test('the schema job runs schema-setup.sh once, after the stores are healthy, and must exit 0', () => {
  const job = s.container('schema');
  assert.deepEqual(job.command, ['sh', '/etc/temporal/schema-setup.sh']);
  assert.equal(job.upload[0].file, '/etc/temporal/schema-setup.sh');
  assert.match(job.upload[0].content, /temporal-sql-tool/);
  // Terraform turns $${ back into ${: after that the file arrives byte for byte.
  const script = readFileSync(new URL('../../../temporal-config/schema-setup.sh', import.meta.url), 'utf8');
  assert.match(job.upload[0].content, /\$\$\{POSTGRES_SEEDS/);
  assert.equal(job.upload[0].content.replaceAll('$${', '${').replaceAll('%%{', '%{'), script);
  assert.equal(job.attach, true);
  assert.equal(job.must_run, false);
  assert.equal(job.restart, 'no');
  assert.deepEqual(job.depends_on, ['docker_container.postgresql', 'docker_container.elasticsearch']);
  assert.equal(job.lifecycle.postcondition[0].condition, '${self.exit_code == 0}');
});

test('the server and the schema job get exactly the environment contract for the stack placement, in its order', () => {
  // The contract's values are specified in temporal-env.test.ts; here: the stack ships that contract, not a copy.
  for (const variant of [
    s,
    synth({ TEMPORAL_VISIBILITY: 'postgres' }),
    synth({ TEMPORAL_PROFILE: 'production', POSTGRES_PASSWORD: 'p\tw', ELASTICSEARCH_PASSWORD: "e's" }),
  ]) {
    const where = stackPlacement(variant.config);
    assert.deepEqual(variant.container('server').env, envList(serverEnv(variant.config, where)));
    assert.deepEqual(variant.container('schema').env, envList(schemaJobEnv(variant.config, where)));
  }
  assert.equal(
    s.env('server').DYNAMIC_CONFIG_FILE_PATH,
    s.container('server').upload[0].file,
    'the server reads the uploaded file',
  );
});

test('the server starts after the schema job and is waited for until healthy', () => {
  const server = s.container('server');
  assert.deepEqual(server.depends_on, ['docker_container.schema']);
  assert.equal(server.wait, true);
  assert.equal(server.memory, 1024);
  assert.equal(server.restart, 'unless-stopped');
});

test('the server healthcheck asks the gRPC health service on the frontend, not just the port', () => {
  const [kind, command] = s.container('server').healthcheck.test;
  assert.equal(kind, 'CMD-SHELL');
  assert.match(command, /\| nc 127\.0\.0\.1 7233 \|/);
  assert.match(command, /grep -q 00000000020801$/);
});

test('the dynamic config file content is uploaded to the path the server reads', () => {
  const upload = s.container('server').upload;
  assert.equal(upload.length, 1);
  assert.equal(upload[0].file, DYNAMIC_CONFIG_CONTAINER_PATH);
  assert.equal(
    upload[0].content,
    readFileSync(new URL('../../../temporal-config/development-sql.yaml', import.meta.url), 'utf8'),
  );
  const custom = synth({}, { dynamicConfigContent: 'history.rps:\n  - value: 42\n' });
  assert.equal(custom.container('server').upload[0].content, 'history.rps:\n  - value: 42\n');
});

test('the Web UI points at the server, carries CORS origins, listens on 8080 and checks /healthz', () => {
  assert.deepEqual(s.env('ui'), {
    TEMPORAL_ADDRESS: 'temporal-server:7233',
    TEMPORAL_CORS_ORIGINS: 'http://localhost:8088',
    TEMPORAL_UI_PORT: '8080',
    TEMPORAL_CSRF_COOKIE_INSECURE: 'true',
  });
  assert.deepEqual(s.container('ui').healthcheck.test, [
    'CMD-SHELL',
    'wget -q -O /dev/null http://127.0.0.1:8080/healthz',
  ]);
  assert.deepEqual(s.container('ui').depends_on, ['docker_container.server']);
});

test('admin-tools keeps running with TEMPORAL_ADDRESS set for docker exec', () => {
  const admin = s.container('admin_tools');
  assert.equal(admin.name, 'temporal-admin-tools');
  assert.deepEqual(s.env('admin_tools'), { TEMPORAL_ADDRESS: 'temporal-server:7233' });
  assert.equal(admin.command, undefined, 'the image command (sleep infinity) keeps it up');
  assert.equal(admin.restart, 'unless-stopped');
});

test('the stack uses the docker provider without a host, so DOCKER_HOST decides (ssh:// included)', () => {
  const parsed = JSON.parse(s.json);
  assert.deepEqual(parsed.provider.docker, [{}]);
  assert.equal(parsed.terraform.required_providers.docker.source, 'kreuzwerker/docker');
  assert.equal(s.outputs.grpc_endpoint!.value, '127.0.0.1:7233');
  assert.equal(s.outputs.ui_url!.value, 'http://127.0.0.1:8088');
});

test('every healthcheck duration is written as the engine reads it back (Go format), so a plan after apply is empty', () => {
  // Docker returns durations in Go's time.Duration format (60s -> 1m0s); any other spelling is a perpetual diff.
  const goFormat = (text: string): string => {
    const seconds = Number(
      /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/
        .exec(text)
        ?.slice(1)
        .reduce((n, v, i) => n + Number(v ?? 0) * [3600, 60, 1][i]!, 0),
    );
    const [h, m, sec] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
    return h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  };
  const all = synth({ TEMPORAL_VISIBILITY: 'elasticsearch' });
  const checked = Object.entries(all.resources.docker_container ?? {}).filter(([, c]) => c.healthcheck);
  assert.ok(checked.length >= 4, 'healthchecks of postgresql, elasticsearch, server and ui');
  for (const [id, c] of checked)
    for (const key of ['interval', 'timeout', 'start_period'])
      assert.equal(c.healthcheck[key], goFormat(c.healthcheck[key]), `${id}.healthcheck.${key}`);
});

test('every healthcheck runs each second, and a container still turns unhealthy only after a minute or more of failing checks', () => {
  // The deploy waits for each container's first passing check before it creates the next one, so the
  // interval adds up along postgresql -> schema job -> server -> ui (at 10s it was most of start's time).
  const all = synth({ TEMPORAL_VISIBILITY: 'elasticsearch' });
  const checked = Object.entries(all.resources.docker_container ?? {}).filter(([, c]) => c.healthcheck);
  assert.ok(checked.length >= 4, 'healthchecks of postgresql, elasticsearch, server and ui');
  for (const [id, c] of checked) {
    assert.equal(c.healthcheck.interval, '1s', `${id}.healthcheck.interval`);
    assert.ok(c.healthcheck.retries >= 60, `${id}.healthcheck.retries = ${c.healthcheck.retries}`);
  }
});

test('the PostgreSQL volume is mounted where the configured major version keeps its data (18 moved it)', () => {
  const mountOf = (env: Record<string, string>) => synth(env).container('postgresql').mounts[0].target;
  assert.equal(mountOf({ POSTGRESQL_VERSION: '17' }), '/var/lib/postgresql/data');
  assert.equal(mountOf({ POSTGRESQL_VERSION: '17.6-bookworm' }), '/var/lib/postgresql/data');
  // 18+: PGDATA is /var/lib/postgresql/18/docker, the volume holds /var/lib/postgresql.
  assert.equal(mountOf({ POSTGRESQL_VERSION: '18' }), '/var/lib/postgresql');
  // A POSTGRES_IMAGE of its own: its tag tells the major.
  assert.equal(mountOf({ POSTGRES_IMAGE: 'registry.example.com/postgres:18.1-alpine' }), '/var/lib/postgresql');
  assert.equal(mountOf({ POSTGRESQL_VERSION: '18', POSTGRES_IMAGE: 'mirror/postgres:17' }), '/var/lib/postgresql/data');
});
