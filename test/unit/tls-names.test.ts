// TLS settings under the names of Temporal's CLI (--tls-cert-path, TEMPORAL_TLS_CLIENT_CERT_PATH, …),
// with the former flag and key names still accepted: through parseConfig and through run().
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { runCli } from '../support/run-cli.js';

const FILE = '/project/temporal.env';

describe('TLS keys and their former names (parseConfig)', () => {
  it('reads a former name from the environment into the new key, with its origin and a warning', () => {
    const r = parseConfig({ env: { TEMPORAL_TLS_CA: '/etc/ca.pem' } });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.config.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '/etc/ca.pem');
    assert.equal(r.origins.TEMPORAL_TLS_SERVER_CA_CERT_PATH, 'environment');
    assert.deepEqual(r.warnings, [
      'TEMPORAL_TLS_CA: deprecated name; rename it to TEMPORAL_TLS_SERVER_CA_CERT_PATH (set in the environment)',
    ]);
  });
  it('accepts former names in temporal.env (not an unknown key) and warns naming the file', () => {
    const r = parseConfig({
      file: { path: FILE, values: { TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem' } },
    });
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    if (!r.ok) return;
    assert.deepEqual(
      [r.config.TEMPORAL_TLS_CLIENT_CERT_PATH, r.config.TEMPORAL_TLS_CLIENT_KEY_PATH],
      ['/c.pem', '/k.pem'],
    );
    assert.deepEqual(r.warnings, [
      `TEMPORAL_TLS_CERT: deprecated name; rename it to TEMPORAL_TLS_CLIENT_CERT_PATH (set in ${FILE})`,
      `TEMPORAL_TLS_KEY: deprecated name; rename it to TEMPORAL_TLS_CLIENT_KEY_PATH (set in ${FILE})`,
    ]);
  });
  it('keeps precedence by source: a former name in the environment beats the new name in the file', () => {
    const r = parseConfig({
      env: { TEMPORAL_TLS_CA: '/env.pem' },
      file: { path: FILE, values: { TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/file.pem' } },
    });
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.config.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '/env.pem');
  });
  it('refuses both names in one source with different values', () => {
    const r = parseConfig({ env: { TEMPORAL_TLS_CA: '/old.pem', TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/new.pem' } });
    assert.deepEqual(r.ok ? [] : r.errors, [
      'TEMPORAL_TLS_CA: former name of TEMPORAL_TLS_SERVER_CA_CERT_PATH, which is set too, to a different value; remove TEMPORAL_TLS_CA (set in the environment)',
    ]);
  });
  it('refuses a client certificate without its key, and a key without its certificate (the keys are set independently)', () => {
    const cert = parseConfig({ env: { TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' } });
    assert.deepEqual(cert.ok ? [] : cert.errors, [
      'TEMPORAL_TLS_CLIENT_KEY_PATH: empty, but mTLS needs it with TEMPORAL_TLS_CLIENT_CERT_PATH (set in the environment); set both (--tls-cert-path and --tls-key-path) or neither',
    ]);
    const key = parseConfig({ file: { path: FILE, values: { TEMPORAL_TLS_KEY: '/k.pem' } } });
    assert.deepEqual(key.ok ? [] : key.errors, [
      `TEMPORAL_TLS_CLIENT_CERT_PATH: empty, but mTLS needs it with TEMPORAL_TLS_CLIENT_KEY_PATH (set in ${FILE}); set both (--tls-cert-path and --tls-key-path) or neither`,
    ]);
  });
});

describe('TLS flags of the namespace commands (run in-process)', () => {
  const envFile = join(mkdtempSync(join(tmpdir(), 'tctl-tls-')), 'temporal.env');
  writeFileSync(envFile, '');
  // Nothing listens on port 1: a connection attempt would fail differently (exit 1, not 2).
  const env = { PATH: process.env.PATH, NO_COLOR: '1', TEMPORAL_ENV_FILE: envFile, TEMPORAL_ADDRESS: '127.0.0.1:1' };
  const cases: [string, string[], RegExp][] = [
    [
      '--tls-cert-path and --tls-key-path',
      ['--tls-cert-path', '/nonexistent/c.pem', '--tls-key-path', '/nonexistent/k.pem'],
      /TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read "\/nonexistent\/c\.pem" \(ENOENT\)/,
    ],
    [
      '--tls-ca-path',
      ['--tls-ca-path', '/nonexistent/ca.pem'],
      // Not a file `certs create` writes: the fix is another file, not certs create.
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read "\/nonexistent\/ca\.pem" \(ENOENT\); point it at a readable PEM file/,
    ],
    [
      '--tls-cert-path without a key',
      ['--tls-cert-path', '/nonexistent/c.pem'],
      /TEMPORAL_TLS_CLIENT_KEY_PATH: empty, but mTLS needs it with TEMPORAL_TLS_CLIENT_CERT_PATH \(set by a flag\)/,
    ],
  ];
  for (const [what, flags, message] of cases) {
    it(`namespace list takes ${what}: exit 2, naming the key`, async () => {
      const r = await runCli(['namespace', 'list', ...flags], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
  it('the former environment name reaches the connection, with a warning', async () => {
    const r = await runCli(['namespace', 'list'], { env: { ...env, TEMPORAL_TLS_CA: '/nonexistent/ca.pem' } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /warning: TEMPORAL_TLS_CA: deprecated name; rename it to TEMPORAL_TLS_SERVER_CA_CERT_PATH \(set in the environment\)/,
    );
    assert.match(r.stderr, /TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read "\/nonexistent\/ca\.pem"/);
  });
  it('help lists the Temporal CLI names', async () => {
    const r = await runCli(['namespace', 'describe', '--help'], { env });
    assert.equal(r.code, 0);
    for (const flag of [
      '--tls-cert-path <path>',
      '--tls-key-path <path>',
      '--tls-ca-path <path>',
      '--tls-server-name <name>',
    ])
      assert.ok(r.stdout.includes(flag), flag);
    assert.doesNotMatch(r.stdout, /--tls-cert </);
    assert.doesNotMatch(r.stdout, /--tls-ca </);
  });
});
