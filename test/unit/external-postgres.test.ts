// POSTGRES_HOST: an existing PostgreSQL instead of the stack's own. No postgres container or volume
// is declared; the server and the schema job get the server's address and port, and with
// POSTGRES_TLS its TLS settings in the names each reads (the server's config template,
// temporal-sql-tool); verify-full uploads the CA. Misused TLS keys are config errors.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { requiredImages } from '../../src/model/service-facts.js';
import { POSTGRES_CA_CONTAINER_FILE } from '../../src/model/temporal-env.js';
import { configFrom, synth } from './stack-helpers.js';

const EXTERNAL = {
  POSTGRES_HOST: 'db.internal.example',
  POSTGRES_HOST_PORT: '6543',
  TEMPORAL_VISIBILITY: 'postgres',
};
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('POSTGRES_HOST', () => {
  it('declares no PostgreSQL container or volume; the server and the schema job reach POSTGRES_HOST:POSTGRES_HOST_PORT', () => {
    const s = synth(EXTERNAL);
    assert.equal(s.resources.docker_container?.postgresql, undefined);
    assert.deepEqual(
      Object.values(s.resources.docker_volume ?? {}).filter((v) => /postgres/.test(v.name)),
      [],
    );
    for (const id of ['server', 'schema']) {
      const env = s.env(id);
      assert.equal(env.POSTGRES_SEEDS, 'db.internal.example', id);
      assert.equal(env.DB_PORT, '6543', id);
      assert.equal(env.SQL_TLS_ENABLED, undefined, `${id}: no TLS unless asked`);
      assert.equal(env.SQL_TLS, undefined, `${id}: no TLS unless asked`);
    }
    // POSTGRES_PORT keeps its meaning (the stack's own PostgreSQL's host port): unused, not reinterpreted.
    assert.equal(s.config.POSTGRES_PORT, 5433);
  });

  it('still needs the PostgreSQL image: its psql, pg_dump and pg_restore serve the data paths', () => {
    const c = configFrom(EXTERNAL);
    assert.ok(requiredImages(c).includes(c.POSTGRES_IMAGE));
  });

  it('POSTGRES_TLS=require: encrypted without checking the certificate, in the server’s and the tool’s names', () => {
    const s = synth({ ...EXTERNAL, POSTGRES_TLS: 'require' });
    const server = s.env('server');
    assert.equal(server.SQL_TLS_ENABLED, 'true');
    assert.equal(server.SQL_HOST_VERIFICATION, 'false');
    assert.equal(server.SQL_CA, undefined);
    const schema = s.env('schema');
    assert.equal(schema.SQL_TLS, 'true');
    assert.equal(schema.SQL_TLS_DISABLE_HOST_VERIFICATION, 'true');
  });

  it('POSTGRES_TLS=verify-full: the CA uploaded into the server and the schema job, the host name checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-pg-ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, CA_PEM);
    const s = synth({ ...EXTERNAL, POSTGRES_TLS: 'verify-full', POSTGRES_TLS_CA_CERT_PATH: ca });
    const server = s.env('server');
    assert.deepEqual(
      [server.SQL_TLS_ENABLED, server.SQL_HOST_VERIFICATION, server.SQL_CA, server.SQL_HOST_NAME],
      ['true', 'true', POSTGRES_CA_CONTAINER_FILE, 'db.internal.example'],
    );
    const schema = s.env('schema');
    assert.deepEqual(
      [schema.SQL_TLS_DISABLE_HOST_VERIFICATION, schema.SQL_TLS_CA_FILE, schema.SQL_TLS_SERVER_NAME],
      ['false', POSTGRES_CA_CONTAINER_FILE, 'db.internal.example'],
    );
    for (const id of ['server', 'schema']) {
      const uploads = (s.resources.docker_container![id].upload ?? []) as { file: string; content?: string }[];
      const upload = uploads.find((u) => u.file === POSTGRES_CA_CONTAINER_FILE);
      assert.equal(upload?.content, CA_PEM, id);
    }
  });

  it('TLS keys without an external server, and verify-full without a CA, are config errors naming the fix', () => {
    const without = parseConfig({ env: { POSTGRES_TLS: 'require' } });
    assert.equal(without.ok, false);
    assert.match(
      without.ok ? '' : without.errors.join('\n'),
      /^POSTGRES_TLS: require is for an external PostgreSQL; set POSTGRES_HOST/m,
    );
    const noCa = parseConfig({ env: { ...EXTERNAL, POSTGRES_TLS: 'verify-full' } });
    assert.equal(noCa.ok, false);
    assert.match(noCa.ok ? '' : noCa.errors.join('\n'), /^POSTGRES_TLS_CA_CERT_PATH: POSTGRES_TLS=verify-full checks/m);
    const badMode = parseConfig({ env: { ...EXTERNAL, POSTGRES_TLS: 'prefer' } });
    assert.equal(badMode.ok, false);
  });
});
