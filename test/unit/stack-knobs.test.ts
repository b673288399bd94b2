// How config knobs change the synthesized stack.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { synth } from './stack-helpers.js';

test('TEMPORAL_UI_PORT=18088 moves the UI port and the default CORS origin', () => {
  const s = synth({ TEMPORAL_UI_PORT: '18088' });
  assert.deepEqual(s.container('ui').ports, [{ internal: 8080, external: 18088, ip: '127.0.0.1', protocol: 'tcp' }]);
  assert.equal(s.env('ui').TEMPORAL_CORS_ORIGINS, 'http://localhost:18088');
  assert.equal(s.env('ui').TEMPORAL_UI_PORT, '8080', 'the container still listens on 8080');
});

test('TEMPORAL_VISIBILITY=postgres removes Elasticsearch and its volume and rewires the server to SQL visibility', () => {
  const s = synth({ TEMPORAL_VISIBILITY: 'postgres' });
  assert.equal(s.resources.docker_container!.elasticsearch, undefined);
  assert.deepEqual(Object.keys(s.resources.docker_volume!), ['postgres_data']);
  assert.ok(!Object.values(s.resources.docker_image!).some((i) => i.name.startsWith('elasticsearch')));
  const server = s.env('server');
  assert.equal(server.ENABLE_ES, 'false');
  assert.equal(server.VISIBILITY_DBNAME, 'temporal_visibility');
  assert.ok(!Object.keys(server).some((k) => k.startsWith('ES_')), 'no ES_* variables');
  assert.equal(s.env('schema').SQL_VISIBILITY, 'true');
  assert.deepEqual(s.container('schema').depends_on, ['docker_container.postgresql']);
});

test('image overrides and TEMPORAL_IMAGE_REGISTRY change the images the containers run', () => {
  const mirrored = synth({ TEMPORAL_IMAGE_REGISTRY: 'registry.example.com/mirror/' });
  const names = Object.values(mirrored.resources.docker_image!)
    .map((i) => i.name)
    .sort();
  assert.deepEqual(names, [
    'registry.example.com/mirror/elasticsearch:7.17.27',
    'registry.example.com/mirror/postgres:16',
    'registry.example.com/mirror/temporalio/admin-tools:1.32.2',
    'registry.example.com/mirror/temporalio/server:1.32.2',
    'registry.example.com/mirror/temporalio/ui:2.55.0',
  ]);
  const custom = synth({ TEMPORAL_SERVER_IMAGE: 'local/temporal-server:1.31.2-patched', TEMPORAL_VERSION: '1.30.1' });
  assert.ok(custom.resources.docker_image!.image_local_temporal_server_1_31_2_patched);
  assert.equal(custom.container('server').image, '${docker_image.image_local_temporal_server_1_31_2_patched.image_id}');
  assert.ok(custom.resources.docker_image!.image_temporalio_admin_tools_1_30_1, 'admin-tools follows TEMPORAL_VERSION');
});

test('TEMPORAL_PUBLISH_ADDRESS=0.0.0.0 publishes every port on all interfaces, only when asked', () => {
  const s = synth({ TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' });
  for (const id of ['postgresql', 'elasticsearch', 'server', 'ui']) {
    for (const p of s.container(id).ports) assert.equal(p.ip, '0.0.0.0', id);
  }
});

test('TEMPORAL_PROJECT renames every container, the network, the volumes and the labels', () => {
  const s = synth({ TEMPORAL_PROJECT: 'blue', TEMPORAL_GRPC_PORT: '17233' });
  assert.equal(s.container('server').name, 'blue-server');
  assert.equal(s.resources.docker_network!.network!.name, 'blue-network');
  assert.equal(s.resources.docker_volume!.postgres_data!.name, 'blue-postgres-data');
  assert.equal(s.env('ui').TEMPORAL_ADDRESS, 'blue-server:7233', 'in-network address keeps the container port');
  assert.equal(s.env('server').POSTGRES_SEEDS, 'blue-postgresql');
  assert.equal(s.labels('server')['io.temporal-ctl.stack'], 'blue-development');
  assert.equal(s.container('server').ports[0].external, 17233);
});

test('the production profile sizes up, secures Elasticsearch with the configured password and keeps HTTP cookies secure', () => {
  const s = synth({
    TEMPORAL_PROFILE: 'production',
    POSTGRES_PASSWORD: 'pg-secret',
    ELASTICSEARCH_PASSWORD: 'es-secret',
  });
  const es = s.env('elasticsearch');
  assert.equal(es['xpack.security.enabled'], 'true');
  assert.equal(es.ELASTIC_PASSWORD, 'es-secret');
  assert.equal(es.ES_JAVA_OPTS, '-Xms2g -Xmx2g');
  assert.equal(es['cluster.routing.allocation.disk.watermark.high'], '90%');
  assert.equal(s.container('elasticsearch').memory, 4096);
  assert.match(s.container('elasticsearch').healthcheck.test[1], /curl -fsS -u elastic:"\$ELASTIC_PASSWORD" /);
  for (const id of ['server', 'schema']) {
    assert.equal(s.env(id).ES_USER, 'elastic', id);
    assert.equal(s.env(id).ES_PWD, 'es-secret', id);
    assert.equal(s.env(id).POSTGRES_PWD, 'pg-secret', id);
  }
  assert.equal(s.env('server').NUM_HISTORY_SHARDS, '512');
  assert.equal(s.container('server').memory, 4096);
  assert.equal(s.env('ui').TEMPORAL_CSRF_COOKIE_INSECURE, undefined);
  assert.equal(
    s.container('server').upload[0].content.includes('forceSearchAttributesCacheRefreshOnRead'),
    false,
    'production-sql.yaml',
  );
  assert.equal(s.labels('server')['io.temporal-ctl.stack'], 'temporal-production');
});

test("the docker provider is pinned at the bindings' release by default and at TEMPORAL_DOCKER_PROVIDER_VERSION when set", () => {
  const pin = (env: Record<string, string> = {}) => JSON.parse(synth(env).json).terraform.required_providers.docker;
  const manifest = createRequire(import.meta.url).resolve('@cdktf/provider-docker/package.json');
  const bound = JSON.parse(readFileSync(manifest, 'utf8')).cdktf.provider.version as string;
  assert.deepEqual(pin(), { source: 'kreuzwerker/docker', version: bound });
  assert.deepEqual(pin({ TEMPORAL_DOCKER_PROVIDER_VERSION: '4.6.0' }), {
    source: 'kreuzwerker/docker',
    version: '4.6.0',
  });
  assert.equal(synth().config.TEMPORAL_DOCKER_PROVIDER_VERSION, bound, 'config show reports the pin the stack uses');
});
