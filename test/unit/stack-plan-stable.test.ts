// What keeps `terraform plan` empty right after an apply: every attribute the kreuzwerker/docker
// provider reads back from the engine is stated in the synthesized JSON. The real proof (terraform
// plan -detailed-exitcode after cdktf deploy) is in test/e2e/cdktf-deploy.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEMORY_SWAP_FACTOR } from '../../stacks/constructs/service-container.js';
import { synth } from './stack-helpers.js';

test('every container states memory_swap as twice its memory limit, the value Docker fills in and the provider reads back', () => {
  assert.equal(MEMORY_SWAP_FACTOR, 2);
  const s = synth();
  const containers = Object.entries(s.resources.docker_container!);
  assert.equal(containers.length, 6);
  for (const [id, c] of containers) assert.equal(c.memory_swap, 2 * c.memory, `docker_container.${id}`);
});

test('memory_swap follows a changed memory key (TEMPORAL_MEMORY=3g gives 3072 MiB and 6144 MiB)', () => {
  const server = synth({ TEMPORAL_MEMORY: '3g' }).container('server');
  assert.equal(server.memory, 3072);
  assert.equal(server.memory_swap, 6144);
});
