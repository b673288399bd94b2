// The synthesized stack for each TEMPORAL_UI_AUTH mode: none (the UI publishes its port), basic
// (an nginx proxy publishes it alone, with a bcrypt htpasswd line and never the password), oidc
// (the UI image's own TEMPORAL_AUTH_* settings). The gate itself is tested for real in
// test/e2e/ui-auth.test.ts (nginx, then Chromium); these check what the stack declares.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { HTPASSWD_PATH, PROXY_CONF_PATH } from '../../stacks/constructs/ui-proxy.js';
import { BCRYPT_COST, htpasswdLine } from '../../stacks/ui-htpasswd.js';
import { synth } from './stack-helpers.js';

const PASSWORD = 's3cret-UI-pw';
const BASIC = { TEMPORAL_UI_AUTH: 'basic', TEMPORAL_UI_USER: 'ops', TEMPORAL_UI_PASSWORD: PASSWORD };
const upload = (c: any, path: string): string => c.upload.find((u: { file: string }) => u.file === path).content;

describe('TEMPORAL_UI_AUTH=none (the default)', () => {
  const s = synth();
  it('has no proxy; the UI publishes TEMPORAL_UI_PORT and has no OIDC settings', () => {
    assert.equal(s.resources.docker_container!.ui_proxy, undefined);
    assert.deepEqual(s.container('ui').ports, [{ internal: 8080, external: 8088, ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.ok(!Object.keys(s.env('ui')).some((k) => k.startsWith('TEMPORAL_AUTH_')));
  });
});

describe('TEMPORAL_UI_AUTH=basic', () => {
  const s = synth({ ...BASIC, TEMPORAL_UI_PORT: '18088' });
  const proxy = s.container('ui_proxy');

  it('publishes the UI port only on the nginx proxy; the UI container publishes nothing', () => {
    assert.equal(s.container('ui').ports, undefined);
    assert.deepEqual(proxy.ports, [{ internal: 8080, external: 18088, ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.equal(proxy.name, 'temporal-ui-proxy');
    assert.match(proxy.image, /^\$\{docker_image\.image_nginx_1_30_4\.image_id\}$/);
    assert.deepEqual(proxy.depends_on, ['docker_container.ui']);
  });

  it('proxies every path to the UI behind auth_basic, without passing the credentials on', () => {
    const conf = upload(proxy, PROXY_CONF_PATH);
    assert.match(conf, /listen 8080;/);
    assert.match(conf, /auth_basic "Temporal Web UI";/);
    assert.match(conf, new RegExp(`auth_basic_user_file ${HTPASSWD_PATH};`));
    assert.match(conf, /set \$temporal_ui http:\/\/temporal-ui:8080;/);
    assert.match(conf, /proxy_set_header Authorization "";/);
    assert.doesNotMatch(conf, /auth_basic off/);
  });

  it('gives nginx a bcrypt hash of the password, and the password appears nowhere in the stack', () => {
    const line = upload(proxy, HTPASSWD_PATH).trim();
    const [user, hash] = line.split(':') as [string, string];
    assert.equal(user, 'ops');
    assert.match(hash, new RegExp(`^\\$2b\\$0?${BCRYPT_COST}\\$`));
    assert.ok(bcrypt.compareSync(PASSWORD, hash));
    assert.ok(!s.json.includes(PASSWORD), 'the password is not in the synthesized JSON');
  });

  it('waits for a 401 without credentials as its health', () => {
    // %%{ is Terraform's escape of a literal %{ (LiteralStrings); the container gets %{http_code}.
    assert.deepEqual(proxy.healthcheck.test, [
      'CMD-SHELL',
      "curl -s -o /dev/null -w '%%{http_code}' http://127.0.0.1:8080/ | grep -qx 401",
    ]);
    assert.equal(proxy.wait, true);
  });

  it('keeps the deployed hash while it matches the user and password, and makes a new one when either changes', () => {
    const held = htpasswdLine('ops', PASSWORD);
    const again = synth(BASIC, { heldUiHtpasswd: held });
    assert.equal(upload(again.container('ui_proxy'), HTPASSWD_PATH), `${held}\n`);
    const changed = upload(
      synth({ ...BASIC, TEMPORAL_UI_PASSWORD: 'other' }, { heldUiHtpasswd: held }).container('ui_proxy'),
      HTPASSWD_PATH,
    );
    assert.notEqual(changed, `${held}\n`);
    const renamed = upload(
      synth({ ...BASIC, TEMPORAL_UI_USER: 'admin2' }, { heldUiHtpasswd: held }).container('ui_proxy'),
      HTPASSWD_PATH,
    );
    assert.match(renamed, /^admin2:\$2b\$/);
  });
});

describe('TEMPORAL_UI_AUTH=oidc', () => {
  const s = synth({
    TEMPORAL_UI_AUTH: 'oidc',
    TEMPORAL_AUTH_PROVIDER_URL: 'https://id.example.com/realms/ops',
    TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
    TEMPORAL_AUTH_CLIENT_SECRET: 'oidc-secret',
  });
  it("passes the UI image's own TEMPORAL_AUTH_* settings through; no proxy", () => {
    const env = s.env('ui');
    assert.deepEqual(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('TEMPORAL_AUTH_'))), {
      TEMPORAL_AUTH_ENABLED: 'true',
      TEMPORAL_AUTH_PROVIDER_URL: 'https://id.example.com/realms/ops',
      TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
      TEMPORAL_AUTH_CLIENT_SECRET: 'oidc-secret',
      TEMPORAL_AUTH_CALLBACK_URL: 'http://localhost:8088/auth/sso/callback',
      TEMPORAL_AUTH_SCOPES: 'openid,profile,email',
    });
    assert.equal(s.resources.docker_container!.ui_proxy, undefined);
    assert.equal(s.container('ui').ports.length, 1);
  });
});

describe('TEMPORAL_UI_AUTH=basic with TEMPORAL_TLS on', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { issueCertificates } = await import('../../src/tls/issue.js');
  const { writeCertificates } = await import('../../src/tls/files.js');
  const { TLS_CONTAINER_FILES } = await import('../../src/model/temporal-env.js');
  const { endpoints } = await import('../../src/model/names-and-endpoints.js');
  const { configFrom } = await import('./stack-helpers.js');
  const state = mkdtempSync(join(tmpdir(), 'tctl-proxy-tls-'));
  await writeCertificates(join(state, 'certs'), issueCertificates({ serverNames: ['temporal-server'] }), false);
  const env = { ...BASIC, TEMPORAL_TLS: 'server', TEMPORAL_STATE_DIR: state };
  const s = synth(env);
  const proxy = s.container('ui_proxy');

  it('the proxy listens with ssl only, on the server certificate uploaded beside its config', () => {
    const conf = upload(proxy, PROXY_CONF_PATH);
    assert.match(conf, /listen 8080 ssl;/);
    assert.doesNotMatch(conf, /listen 8080;/);
    assert.match(conf, new RegExp(`ssl_certificate ${TLS_CONTAINER_FILES.cert};`));
    assert.match(conf, new RegExp(`ssl_certificate_key ${TLS_CONTAINER_FILES.key};`));
    assert.match(upload(proxy, TLS_CONTAINER_FILES.cert), /BEGIN CERTIFICATE/);
    assert.match(proxy.healthcheck.test[1], /-k https:\/\/127\.0\.0\.1:8080\//);
  });
  it('the UI endpoint users and probes reach is https', () =>
    assert.match(endpoints(configFrom(env)).ui, /^https:\/\/127\.0\.0\.1:8088$/));
});
