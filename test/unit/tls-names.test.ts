// TLS settings under the names of Temporal's CLI (--tls-cert-path, TEMPORAL_TLS_CLIENT_CERT_PATH, …),
// through parseConfig and through run(), and the former flag names src/commands/namespace.ts still takes.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { runCli } from '../support/run-cli.js';

const FILE = '/project/temporal.env';

describe('TLS client keys (parseConfig)', () => {
  it('refuses a client certificate without its key, and a key without its certificate (the keys are set independently)', () => {
    const cert = parseConfig({ env: { TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' } });
    assert.deepEqual(cert.ok ? [] : cert.errors, [
      'TEMPORAL_TLS_CLIENT_KEY_PATH: empty, but mTLS needs it with TEMPORAL_TLS_CLIENT_CERT_PATH (set in the environment); set both (--tls-cert-path and --tls-key-path) or neither',
    ]);
    const key = parseConfig({ file: { path: FILE, values: { TEMPORAL_TLS_CLIENT_KEY_PATH: '/k.pem' } } });
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
