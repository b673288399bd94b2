// TEMPORAL_UI_AUTH=oidc against the real ui-server (the test environment's go-built binary, with the
// image's own config/docker.yaml from its module): the settings the stack passes (uiOidcEnv) are the
// names that file reads. A stub OIDC provider here serves only discovery (no identity provider runs
// here, so no login is completed): the UI sends /auth/sso to the provider's authorization endpoint
// with the configured client id, callback and scopes, its API answers 401 without a login, its
// /healthz 200, and the UI probe reports it healthy on /healthz alone. Without a reachable provider
// the UI does not start at all (it fetches the discovery document at start-up).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { uiOidcEnv } from '../../src/config/ui-auth.js';
import { runOne } from '../../src/probes/run-probes.js';
import { uiProbe } from '../../src/probes/ui-probe.js';
import { loadTestEnv } from '../support/env.js';
import { freePort } from '../support/free-ports.js';

const testEnv = loadTestEnv();
const version = testEnv?.ui?.version;
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'temporal-ctl');
const binary = version && join(CACHE, 'bin', `ui-server-${version}`, 'server');
const SKIP = !testEnv?.ui || !binary || !existsSync(binary) ? 'the test environment has no Web UI build' : false;

/** The test env's config with keys overridden as a user's environment would. */
const testConfig = (env: Record<string, string>) =>
  loadConfig({ envFile: join(PROJECT_ROOT, '.test-env', 'temporal.env'), env }).config;

/** The image's own config file, from the ui-server module the binary was built from. */
function dockerYaml(v: string): string {
  const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  return join(modcache, 'github.com', 'temporalio', 'ui-server', `v2@v${v}`, 'config', 'docker.yaml');
}

/** A discovery document for issuer `base` and nothing else. */
function stubProvider(): Promise<{ server: Server; url: string }> {
  return new Promise((ok) => {
    const server = createServer((req, res) => {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/realms/ops`;
      if (req.url !== '/realms/ops/.well-known/openid-configuration') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: url,
          authorization_endpoint: `${url}/auth`,
          token_endpoint: `${url}/token`,
          jwks_uri: `${url}/certs`,
          userinfo_endpoint: `${url}/userinfo`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/realms/ops` }),
    );
  });
}

describe('TEMPORAL_UI_AUTH=oidc on the real ui-server', { skip: SKIP }, () => {
  let root: string;
  let provider: { server: Server; url: string };
  const children: ChildProcess[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'tctl-ui-oidc-'));
    mkdirSync(join(root, 'config'));
    copyFileSync(dockerYaml(version!), join(root, 'config', 'docker.yaml'));
    provider = await stubProvider();
  });
  after(() => {
    for (const c of children) c.kill('SIGTERM');
    provider?.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts the UI with the stack's OIDC settings for `providerUrl`; its config and exit. */
  async function startUi(providerUrl: string) {
    const port = await freePort();
    const config = testConfig({
      TEMPORAL_UI_AUTH: 'oidc',
      TEMPORAL_UI_PORT: String(port),
      TEMPORAL_AUTH_PROVIDER_URL: providerUrl,
      TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
      TEMPORAL_AUTH_CLIENT_SECRET: 'oidc-secret',
      TEMPORAL_AUTH_SCOPES: 'openid,profile,groups',
    });
    const child = spawn(binary!, ['--root', root, '--config', 'config', '--env', 'docker', 'start'], {
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: testEnv!.temporal.address,
        TEMPORAL_UI_PORT: String(port),
        TEMPORAL_CSRF_COOKIE_INSECURE: 'true',
        ...uiOidcEnv(config),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((ok) => child.on('exit', ok));
    return { config, port, child, exited, output: () => output };
  }

  it('serves /healthz, refuses the API without a login, and sends /auth/sso to the provider with the settings', async () => {
    const ui = await startUi(provider.url);
    const base = `http://127.0.0.1:${ui.port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (up === 200) break;
      assert.ok(Date.now() < deadline, `the UI did not start: ${ui.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal((await fetch(`${base}/api/v1/namespaces`)).status, 401);
    const sso = await fetch(`${base}/auth/sso`, { redirect: 'manual' });
    assert.equal(sso.status, 302);
    const to = new URL(sso.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, `${provider.url}/auth`);
    assert.equal(to.searchParams.get('client_id'), 'temporal-ui');
    assert.equal(to.searchParams.get('redirect_uri'), ui.config.TEMPORAL_AUTH_CALLBACK_URL);
    assert.equal(to.searchParams.get('scope'), 'openid profile groups');
    const result = await runOne(uiProbe, ui.config, 5_000);
    assert.equal(result.healthy, true, result.detail);
    assert.match(result.detail, /OIDC login/);
  });

  it('does not start while the provider is unreachable (it reads the discovery document at start-up)', async () => {
    const ui = await startUi(`http://127.0.0.1:${await freePort()}/realms/none`);
    const code = await Promise.race([ui.exited, new Promise((r) => setTimeout(() => r('running'), 15_000))]);
    assert.notEqual(code, 'running', 'the UI kept running without its provider');
    assert.match(ui.output(), /openid-configuration/);
    assert.ok(!ui.output().includes('oidc-secret'), 'the client secret is in its output');
  });
});
