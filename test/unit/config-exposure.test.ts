// The exposure rules (src/project/exposure.ts) as config cases with their exact lines, and what the
// stack publishes where: production refuses a frontend and Web UI beyond loopback unless gRPC has
// TLS and the UI authentication; the stores stay on loopback in production unless asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { publishedPorts } from '../../src/model/service-facts.js';
import { issueCertificates } from '../../src/tls/issue.js';
import { writeCertificates } from '../../src/tls/files.js';
import { synth } from './stack-helpers.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROD = {
  TEMPORAL_PROFILE: 'production',
  POSTGRES_PASSWORD: 'pg-pass-4821',
  ELASTICSEARCH_PASSWORD: 'es-pass-4821',
};
/** A state directory with the certificates `certs create` writes, for the stack's TLS uploads. */
const STATE = mkdtempSync(join(tmpdir(), 'tctl-exposure-'));
await writeCertificates(join(STATE, 'certs'), issueCertificates({ serverNames: ['temporal-server'] }), false);
const SECURED = {
  TEMPORAL_TLS: 'mtls',
  TEMPORAL_STATE_DIR: STATE,
  TEMPORAL_UI_AUTH: 'basic',
  TEMPORAL_UI_PASSWORD: 'gate-Pw-1234',
};

const refused = (address: string, tls: string, auth: string) =>
  `TEMPORAL_PUBLISH_ADDRESS: ${address} would expose the frontend and the Web UI beyond this host with TEMPORAL_TLS=${tls} and TEMPORAL_UI_AUTH=${auth}, which the production profile refuses; set TEMPORAL_TLS=server or mtls and TEMPORAL_UI_AUTH=basic or oidc, or publish on 127.0.0.1 (set in the environment)`;

const CASES: { rule: string; env: Record<string, string>; errors?: string[]; warnings?: string[] }[] = [
  {
    rule: 'production on 0.0.0.0 without TLS or UI auth is refused',
    env: { ...PROD, TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' },
    errors: [refused('0.0.0.0', 'off', 'none')],
  },
  {
    rule: 'production on a LAN address with TLS but no UI auth is refused',
    env: { ...PROD, TEMPORAL_PUBLISH_ADDRESS: '10.1.2.3', TEMPORAL_TLS: 'server' },
    errors: [refused('10.1.2.3', 'server', 'none')],
  },
  {
    rule: 'production on 0.0.0.0 with UI auth but no TLS is refused',
    env: {
      ...PROD,
      TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0',
      TEMPORAL_UI_AUTH: 'oidc',
      TEMPORAL_AUTH_PROVIDER_URL: 'https://id.example.com',
      TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
      TEMPORAL_AUTH_CLIENT_SECRET: 'oidc-Secret-1234',
    },
    errors: [refused('0.0.0.0', 'off', 'oidc')],
  },
  {
    rule: 'production on 0.0.0.0 with TLS and UI auth is accepted, stores on loopback, no warning',
    env: { ...PROD, ...SECURED, TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' },
    warnings: [],
  },
  {
    rule: 'production on another loopback address needs nothing',
    env: { ...PROD, TEMPORAL_PUBLISH_ADDRESS: '127.0.0.2' },
    warnings: [],
  },
  {
    rule: 'production stores published beyond loopback when asked: a warning',
    env: { ...PROD, ...SECURED, TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0', TEMPORAL_STORE_PUBLISH_ADDRESS: '0.0.0.0' },
    warnings: [
      'TEMPORAL_STORE_PUBLISH_ADDRESS: 0.0.0.0 publishes postgresql, elasticsearch, server metrics beyond this host, to anyone who can reach it; use 127.0.0.1 unless that is meant (set in the environment)',
    ],
  },
  {
    rule: 'development on 0.0.0.0 warns, naming every service it exposes',
    env: { TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' },
    warnings: [
      'TEMPORAL_PUBLISH_ADDRESS, TEMPORAL_STORE_PUBLISH_ADDRESS: 0.0.0.0 publishes server, ui, postgresql, elasticsearch, server metrics beyond this host, to anyone who can reach it (development has no TLS and default passwords); use 127.0.0.1 unless that is meant (set in the environment)',
    ],
  },
  { rule: 'development on loopback: no warning', env: {}, warnings: [] },
  {
    rule: 'a wildcard CORS origin in production is refused',
    env: { ...PROD, TEMPORAL_CORS_ORIGINS: 'https://temporal.example.com,*' },
    errors: [
      "TEMPORAL_CORS_ORIGINS: * lets any web site call the Web UI's API, which the production profile refuses; list the origins users open the UI at, e.g. https://temporal.example.com (set in the environment)",
    ],
  },
  { rule: 'a wildcard CORS origin in development is accepted', env: { TEMPORAL_CORS_ORIGINS: '*' }, warnings: [] },
  {
    rule: 'a CORS entry that is not an origin (a path, another scheme) is refused in any profile',
    env: { TEMPORAL_CORS_ORIGINS: 'https://ok.example.com, https://ui.example.com/app,ftp://files.example.com' },
    errors: [
      'TEMPORAL_CORS_ORIGINS: "https://ui.example.com/app", "ftp://files.example.com" is not an origin; use scheme://host[:port], e.g. https://temporal.example.com (set in the environment)',
    ],
  },
];

for (const c of CASES) {
  test(`exposure: ${c.rule}`, () => {
    const r = parseConfig({ env: c.env });
    if (c.errors) {
      assert.equal(r.ok, false);
      assert.deepEqual(!r.ok && r.errors, c.errors);
    } else {
      assert.ok(r.ok, !r.ok ? r.errors.join('\n') : '');
      assert.deepEqual(r.warnings, c.warnings);
    }
  });
}

test('production publishes PostgreSQL and Elasticsearch on loopback while the frontend and UI are on 0.0.0.0', () => {
  const env = { ...PROD, ...SECURED, TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0' };
  const r = parseConfig({ env });
  assert.ok(r.ok);
  const where = Object.fromEntries(publishedPorts(r.config).map((p) => [p.key, p.address]));
  assert.deepEqual(where, {
    POSTGRES_PORT: '127.0.0.1',
    ELASTICSEARCH_PORT: '127.0.0.1',
    TEMPORAL_GRPC_PORT: '0.0.0.0',
    TEMPORAL_HTTP_PORT: '0.0.0.0',
    TEMPORAL_METRICS_PORT: '127.0.0.1',
    TEMPORAL_UI_PORT: '0.0.0.0',
  });
  const s = synth(env);
  for (const id of ['postgresql', 'elasticsearch'])
    for (const p of s.container(id).ports) assert.equal(p.ip, '127.0.0.1', id);
  // With basic auth the proxy alone publishes the UI's port.
  for (const p of s.container('ui_proxy').ports) assert.equal(p.ip, '0.0.0.0', 'ui_proxy');
  // The server's ports each on their own address: the unauthenticated metrics port stays on loopback.
  const serverPorts = Object.fromEntries(
    s.container('server').ports.map((p: { external: number; ip: string }) => [p.external, p.ip]),
  );
  assert.deepEqual(serverPorts, {
    [r.config.TEMPORAL_GRPC_PORT]: '0.0.0.0',
    [r.config.TEMPORAL_HTTP_PORT]: '0.0.0.0',
    [r.config.TEMPORAL_METRICS_PORT]: '127.0.0.1',
  });
  assert.equal(s.container('ui').ports, undefined);
});
