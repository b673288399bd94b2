// What keeps `terraform plan` empty right after an apply: every attribute the kreuzwerker/docker
// provider reads back from the engine is stated in the synthesized JSON. The real proof (terraform
// plan -detailed-exitcode after cdktf deploy) is in test/e2e/cdktf-deploy.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { synth } from './stack-helpers.js';

test('every container states memory_swap equal to its memory limit (no swap), the value the provider then reads back', () => {
  const s = synth();
  const containers = Object.entries(s.resources.docker_container!);
  assert.equal(containers.length, 6);
  for (const [id, c] of containers) assert.equal(c.memory_swap, c.memory, `docker_container.${id}`);
});

test('memory_swap follows a changed memory key (TEMPORAL_MEMORY=3g gives 3072 MiB for both)', () => {
  const server = synth({ TEMPORAL_MEMORY: '3g' }).container('server');
  assert.equal(server.memory, 3072);
  assert.equal(server.memory_swap, 3072);
});

test('capabilities are written as the engine reads them back (CAP_ prefix; ALL as is), or each plan would replace the container', () => {
  for (const [id, c] of Object.entries(synth().resources.docker_container!)) {
    assert.deepEqual(c.capabilities.drop, ['ALL'], id);
    for (const cap of c.capabilities.add ?? []) assert.match(cap, /^CAP_[A-Z_]+$/, `${id}: ${cap}`);
  }
});
