// Hardening every container of the stack declares: no-new-privileges, all capabilities dropped but
// what the model gives the service, rotated json-file logs from the config keys. What the engine
// makes of it (and that every service still starts) is checked on a deployed cluster in
// test/e2e/cluster.test.ts; the pids limit, which the provider cannot declare, there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceDecl } from '../../src/model/service-facts.js';
import { SERVICE_MODEL, type ServiceName } from '../../src/model/services.js';
import { configFrom, synth } from './stack-helpers.js';

const byResourceId = (id: string): ServiceName =>
  (Object.keys(SERVICE_MODEL) as ServiceName[]).find((s) => serviceDecl(s).resourceId === id)!;

test('every container runs with no-new-privileges and drops ALL capabilities, adding back only its model entry', () => {
  const containers = Object.entries(synth().resources.docker_container!);
  assert.equal(containers.length, 6);
  for (const [id, c] of containers) {
    assert.deepEqual(c.security_opts, ['no-new-privileges:true'], id);
    assert.deepEqual(c.capabilities.drop, ['ALL'], id);
    assert.deepEqual(c.capabilities.add ?? [], [...serviceDecl(byResourceId(id)).capabilities], id);
  }
});

test("only PostgreSQL's entrypoint keeps capabilities (chown the data dir, drop to its user); the Temporal images and Elasticsearch keep none", () => {
  const s = synth();
  assert.deepEqual(s.container('postgresql').capabilities.add, [
    'CAP_CHOWN',
    'CAP_DAC_OVERRIDE',
    'CAP_FOWNER',
    'CAP_SETGID',
    'CAP_SETUID',
  ]);
  for (const id of ['elasticsearch', 'schema', 'server', 'ui', 'admin_tools'])
    assert.equal(s.container(id).capabilities.add, undefined, id);
});

test('every container logs to json-file rotated at 10m, 3 files kept, by default', () => {
  for (const [id, c] of Object.entries(synth().resources.docker_container!)) {
    assert.equal(c.log_driver, 'json-file', id);
    assert.deepEqual(c.log_opts, { 'max-size': '10m', 'max-file': '3' }, id);
  }
});

test('CONTAINER_LOG_MAX_SIZE=50m and CONTAINER_LOG_MAX_FILES=5 reach every container', () => {
  const s = synth({ CONTAINER_LOG_MAX_SIZE: '50m', CONTAINER_LOG_MAX_FILES: '5' });
  for (const [id, c] of Object.entries(s.resources.docker_container!))
    assert.deepEqual(c.log_opts, { 'max-size': '50m', 'max-file': '5' }, id);
});

test('a log size or count Docker would refuse is a config error naming the key', () => {
  for (const [key, value, message] of [
    [
      'CONTAINER_LOG_MAX_SIZE',
      '10MB',
      /CONTAINER_LOG_MAX_SIZE: "10MB" is not a log file size; use a number with k, m or g, e\.g\. 10m/,
    ],
    ['CONTAINER_LOG_MAX_SIZE', '0m', /CONTAINER_LOG_MAX_SIZE: "0m" is not a log file size/],
    ['CONTAINER_LOG_MAX_FILES', '0', /CONTAINER_LOG_MAX_FILES: "0" is not a whole number from 1 to 100/],
  ] as const)
    assert.throws(() => configFrom({ [key]: value }), message);
});

test('every service has a pids limit in the model, above what it was measured to use at idle', () => {
  for (const s of Object.keys(SERVICE_MODEL) as ServiceName[]) assert.ok(serviceDecl(s).pidsLimit >= 128, s);
});
