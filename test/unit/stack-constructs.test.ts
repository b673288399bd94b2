// The service constructs on their own: narrow props in, model-derived names, ports, policies out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aspects, Testing, TerraformStack } from 'cdktf';
import { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { LiteralStrings } from '../../stacks/literal-strings.js';
import { Postgres } from '../../stacks/constructs/postgres.js';
import { SchemaJob } from '../../stacks/constructs/schema-job.js';
import type { ServiceProps } from '../../stacks/constructs/service-container.js';
import { testingApp } from './testing-app.js';

function stackWith(build: (stack: TerraformStack, common: ServiceProps) => void) {
  const stack = new TerraformStack(testingApp(), 'demo');
  Aspects.of(stack).add(new LiteralStrings()); // as TemporalStack does
  const network = new Network(stack, 'net', { name: 'demo-net' });
  build(stack, {
    image: 'img-id',
    network,
    project: { TEMPORAL_PROJECT: 'demo', TEMPORAL_PROFILE: 'production' },
    memoryLimitMiB: 300,
    logRotation: { maxSize: '5m', maxFiles: 2 },
  });
  return JSON.parse(Testing.synth(stack)).resource.docker_container as Record<string, any>;
}

test('Postgres needs no config: name, labels, logical id and container ports come from the model', () => {
  const containers = stackWith(
    (stack, common) =>
      new Postgres(stack, 'pg', {
        ...common,
        user: 'app',
        password: 'pw',
        publish: { address: '10.0.0.5', ports: { postgres: 15432 } },
      }),
  );
  const pg = containers.postgresql;
  assert.equal(pg.name, 'demo-postgresql');
  assert.deepEqual(pg.ports, [{ internal: 5432, external: 15432, ip: '10.0.0.5', protocol: 'tcp' }]);
  assert.deepEqual(
    pg.labels.map((l: { value: string }) => l.value),
    ['demo', 'demo-production', 'postgresql'],
  );
  assert.equal(pg.memory, 300);
  assert.equal(pg.restart, 'unless-stopped');
  assert.equal(pg.depends_on, undefined);
  assert.deepEqual(pg.env, ['POSTGRES_USER=app', 'POSTGRES_PASSWORD=pw']);
  assert.equal(pg.healthcheck.test[1], 'pg_isready -h 127.0.0.1 -p 5432 -U app -d postgres');
});

test('a one-shot gets restart no, attach, must_run false and the exit-code postcondition from its kind', () => {
  const containers = stackWith(
    (stack, common) => new SchemaJob(stack, 'job', { ...common, environment: { A: '1' }, script: 'echo ${A}\n' }),
  );
  const job = containers.schema;
  assert.equal(job.restart, 'no');
  assert.equal(job.attach, true);
  assert.equal(job.must_run, false);
  assert.equal(job.wait, undefined, 'nothing to wait for: it has no healthcheck');
  assert.equal(job.lifecycle.postcondition[0].condition, '${self.exit_code == 0}');
  assert.match(job.lifecycle.postcondition[0].error_message, /docker logs demo-schema/);
  assert.equal(job.upload[0].content, 'echo $${A}\n', 'uploads are kept literal');
});

test('publishing a port the service does not declare fails at synth, naming it', () => {
  assert.throws(
    () =>
      stackWith(
        (stack, common) =>
          new Postgres(stack, 'pg', {
            ...common,
            user: 'u',
            password: 'p',
            publish: { address: '127.0.0.1', ports: { http: 1 } },
          }),
      ),
    /service postgresql declares no port named http/,
  );
});
