// The basic-auth proxy with TEMPORAL_TLS on: the stack's own nginx server block (proxyConf with its
// TLS lines) run by a real nginx (Debian's, the same release family as the stand-in image) on the
// host, with a certificate from `certs create`'s issuer and a bcrypt htpasswd line. The status
// probe, as a user's `status` runs it, must verify the proxy's certificate against the cluster's CA
// and find the gate holding (401); a plain HTTP request and another CA get nothing of the UI.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { httpGet } from '../../src/http-get.js';
import { uiProxyProbe } from '../../src/probes/ui-proxy-probe.js';
import { writeCertificates } from '../../src/tls/files.js';
import { issueCertificates } from '../../src/tls/issue.js';
import { HTPASSWD_PATH, proxyConf } from '../../stacks/constructs/ui-proxy.js';
import { htpasswdLine } from '../../stacks/ui-htpasswd.js';
import { freePort } from '../support/free-ports.js';

const isCI = process.env.CI === 'true' || process.env.CI === '1';
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
if (!hasNginx && isCI) throw new Error('nginx is not installed (scripts/test-env up installs it)');

describe('the Web UI proxy serves TLS with the cluster certificate (real nginx)', {
  skip: hasNginx ? false : 'nginx is not installed: run `bash scripts/test-env up`',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-proxy-tls-'));
  let port = 0;
  let nginx: ReturnType<typeof spawn> | undefined;
  let config: ReturnType<typeof configFor>;

  function configFor(uiPort: number) {
    const r = parseConfig({
      env: {
        TEMPORAL_UI_AUTH: 'basic',
        TEMPORAL_UI_PASSWORD: 'Proxy-Tls-Pw-77',
        TEMPORAL_TLS: 'server',
        TEMPORAL_STATE_DIR: dir,
        TEMPORAL_UI_PORT: String(uiPort),
      },
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.config;
  }

  before(async () => {
    port = await freePort();
    config = configFor(port);
    const paths = await writeCertificates(
      join(dir, 'certs'),
      issueCertificates({ serverNames: ['temporal-server', 'localhost', '127.0.0.1'] }),
      false,
    );
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, `${htpasswdLine(config.TEMPORAL_UI_USER, config.TEMPORAL_UI_PASSWORD)}\n`);
    // The stack's server block, its container paths pointed at this directory; a UI that is not there.
    const server = proxyConf(8080, '127.0.0.1:9', { certPath: paths.serverCert, keyPath: paths.serverKey, files: [] })
      .replace('listen 8080 ssl;', `listen 127.0.0.1:${port} ssl;`)
      .replace(HTPASSWD_PATH, htpasswd)
      .replace(/resolver [^;]+;/, 'resolver 127.0.0.1 valid=10s;');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n${server}}\n`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await httpGet(
        `https://127.0.0.1:${port}/`,
        AbortSignal.timeout(1000),
        undefined,
        readFileSync(paths.ca, 'utf8'),
      ).catch(() => undefined);
      if (r) break;
      if (Date.now() > deadline)
        throw new Error(`nginx did not answer: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  });
  after(() => nginx?.kill('SIGTERM'));

  it('the probe verifies the certificate against the cluster CA and finds the gate holding (401)', async () => {
    const r = await uiProxyProbe.run(config, AbortSignal.timeout(5000));
    assert.equal(r.healthy, true, r.detail);
    assert.match(r.detail, /401/);
  });
  it('a plain HTTP request to the port gets no UI (nginx refuses it)', async () => {
    const r = await httpGet(`http://127.0.0.1:${port}/`, AbortSignal.timeout(5000));
    assert.equal(r.status, 400);
    assert.match(r.text, /plain HTTP request was sent to HTTPS port/);
  });
  it('a client trusting another CA refuses the proxy', async () => {
    const other = issueCertificates({ serverNames: ['localhost'] }).ca.cert;
    await assert.rejects(
      httpGet(`https://127.0.0.1:${port}/`, AbortSignal.timeout(5000), undefined, other),
      /self-signed|unable to verify|certificate/i,
    );
  });
  it('with the credentials the gate opens (the missing UI then answers 502 from nginx, not 401)', async () => {
    const ca = readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8');
    const r = await httpGet(
      `https://127.0.0.1:${port}/`,
      AbortSignal.timeout(5000),
      { user: config.TEMPORAL_UI_USER, password: config.TEMPORAL_UI_PASSWORD },
      ca,
    );
    assert.equal(r.status, 502);
  });
});
