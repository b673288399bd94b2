// A volume the Terraform state holds stays declared, with prevent_destroy, after its service is
// switched off: prevent_destroy guards only declared blocks, so dropping the block would let
// TEMPORAL_VISIBILITY=postgres delete the Elasticsearch data. Real terraform + provider proof:
// test/integration/volume-retention.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retainedVolumes } from '../../src/model/service-facts.js';
import { volumeIdsInState } from '../../stacks/state-volumes.js';
import { configFrom, synth } from './stack-helpers.js';

test('with postgres visibility and elasticsearch_data in the state, the Elasticsearch volume stays declared with prevent_destroy', () => {
  const s = synth({ TEMPORAL_VISIBILITY: 'postgres' }, { heldVolumeIds: ['postgres_data', 'elasticsearch_data'] });
  assert.deepEqual(Object.keys(s.resources.docker_volume!).sort(), ['elasticsearch_data', 'postgres_data']);
  const es = s.resources.docker_volume!.elasticsearch_data!;
  assert.equal(es.name, 'temporal-elasticsearch-data');
  assert.deepEqual(es.lifecycle, { prevent_destroy: true });
  assert.equal(s.labels('elasticsearch_data', 'docker_volume')['io.temporal-ctl.service'], 'elasticsearch');
  assert.equal(s.resources.docker_container!.elasticsearch, undefined, 'no Elasticsearch container');
  assert.ok(!JSON.stringify(s.resources.docker_container).includes('elasticsearch_data'), 'nothing mounts it');
});

test('without it in the state, postgres visibility declares no Elasticsearch volume (a new project gets none)', () => {
  const s = synth({ TEMPORAL_VISIBILITY: 'postgres' }, { heldVolumeIds: ['postgres_data'] });
  assert.deepEqual(Object.keys(s.resources.docker_volume!), ['postgres_data']);
});

test('switching back to elasticsearch declares the same volume block, now mounted by the container', () => {
  const kept = synth({ TEMPORAL_VISIBILITY: 'postgres' }, { heldVolumeIds: ['elasticsearch_data'] });
  const back = synth({ TEMPORAL_VISIBILITY: 'elasticsearch' }, { heldVolumeIds: ['elasticsearch_data'] });
  assert.deepEqual(kept.resources.docker_volume!.elasticsearch_data, back.resources.docker_volume!.elasticsearch_data);
  assert.equal(back.container('elasticsearch').mounts[0].source, '${docker_volume.elasticsearch_data.name}');
});

test('retainedVolumes keeps only held volumes of switched-off services, and ignores ids it does not know', () => {
  const pg = configFrom({ TEMPORAL_VISIBILITY: 'postgres' });
  assert.deepEqual(
    retainedVolumes(pg, ['postgres_data', 'elasticsearch_data', 'something_else']).map((v) => v.resourceId),
    ['elasticsearch_data'],
  );
  assert.deepEqual(retainedVolumes(configFrom(), ['postgres_data', 'elasticsearch_data']), []);
});

test('the stack reads the held volumes from its state file (managed docker_volume resources only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-state-'));
  try {
    const stateFile = join(dir, 'terraform.tfstate');
    assert.deepEqual(volumeIdsInState(stateFile), [], 'no state file: nothing held');
    const resource = (mode: string, type: string, name: string) => ({ mode, type, name, instances: [] });
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 4,
        resources: [
          resource('managed', 'docker_volume', 'postgres_data'),
          resource('managed', 'docker_volume', 'elasticsearch_data'),
          resource('managed', 'docker_container', 'server'),
          resource('data', 'docker_volume', 'looked_up'),
        ],
      }),
    );
    assert.deepEqual(volumeIdsInState(stateFile), ['postgres_data', 'elasticsearch_data']);
    const s = synth({ TEMPORAL_VISIBILITY: 'postgres' }, { stateFile });
    assert.ok(s.resources.docker_volume!.elasticsearch_data, 'the stack kept the held volume');
    writeFileSync(stateFile, '{ not json');
    assert.throws(() => volumeIdsInState(stateFile), /not valid JSON; restore it from .*\.backup/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
