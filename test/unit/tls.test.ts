// TEMPORAL_TLS: the certificates `certs create` issues (read back with Node's own X509Certificate),
// their files' modes, and the environment the stack gives the server, the UI and admin-tools per mode.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { parseConfig } from '../../src/project/parse.js';
import { certFilePaths, serverNames, writeCertificates } from '../../src/tls/files.js';
import { expiryLine, expiryWarning, serverCertificateExpiry } from '../../src/tls/expiry.js';
import { issueCertificates } from '../../src/tls/issue.js';
import { assertTlsFilesUsable } from '../../src/tls/check-files.js';
import forge from 'node-forge';
import { configFrom, synth } from './stack-helpers.js';
import { ConfigError } from '../../src/errors.js';

const NOW = new Date('2026-11-26T00:00:00Z');
const issued = issueCertificates({ serverNames: ['temporal-server', 'localhost', '127.0.0.1', '::1'], now: NOW });
const ca = new X509Certificate(issued.ca.cert);
const server = new X509Certificate(issued.server.cert);
const client = new X509Certificate(issued.client.cert);

describe('issued certificates', () => {
  it('the server certificate carries the names and addresses, and the CA signed both leaves', () => {
    assert.equal(
      server.subjectAltName,
      'DNS:temporal-server, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    assert.equal(server.checkHost('temporal-server'), 'temporal-server');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkHost('example.com'), undefined);
    assert.ok(server.verify(ca.publicKey) && client.verify(ca.publicKey) && ca.verify(ca.publicKey));
    assert.ok(server.checkIssued(ca) && client.checkIssued(ca));
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
  });
  it('validity: leaves a year, the CA ten, from a minute before issue', () => {
    const days = (c: X509Certificate) => (Date.parse(c.validTo) - NOW.getTime()) / 86_400_000;
    assert.equal(days(server), 365);
    assert.equal(days(client), 365);
    assert.equal(days(ca), 3650);
    assert.equal(Date.parse(server.validFrom), NOW.getTime() - 60_000);
  });
  it('usages: server for serverAuth and clientAuth (internode mTLS), client for clientAuth only', () => {
    assert.deepEqual(server.keyUsage?.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });
  it('serial numbers: 16 octets, positive and DER-minimal whatever the random source gives, distinct per certificate', () => {
    // A zero first octet once made forge write padding that OpenSSL (as here) and Go's x509 refuse.
    const sources = [0x00, 0x7f, 0x80, 0xff].map((first) => (size: number) => {
      const octets = Buffer.alloc(size, 0x01);
      octets[0] = first;
      return octets;
    });
    sources.push((size) => Buffer.alloc(size)); // all zero
    for (const random of sources) {
      const certs = issueCertificates({ serverNames: ['localhost'], now: NOW, random });
      for (const pair of [certs.ca, certs.server, certs.client]) {
        const serial = new X509Certificate(pair.cert).serialNumber; // throws on padding
        assert.match(serial, /^[4-7][0-9A-F]{31}$/);
      }
    }
    assert.equal(new Set([ca, server, client].map((c) => c.serialNumber)).size, 3);
  });
  it('each key matches its certificate', () => {
    for (const pair of [issued.ca, issued.server, issued.client]) {
      assert.ok(new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key)));
    }
  });
});

describe('certificate files', () => {
  it('are mode 600 in a 700 directory, and not replaced without force', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tctl-certs-')), 'certs');
    const paths = await writeCertificates(dir, issued, false);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const p of Object.values(paths)) assert.equal(statSync(p).mode & 0o777, 0o600, p);
    await assert.rejects(writeCertificates(dir, issued, false), /holds certificates already .*pass --force/);
    writeFileSync(paths.ca, 'old', { mode: 0o644 });
    await writeCertificates(dir, issued, true);
    assert.equal(readFileSync(paths.ca, 'utf8'), issued.ca.cert);
    assert.equal(statSync(paths.ca).mode & 0o777, 0o600);
    assert.deepEqual(Object.keys(certFilePaths(dir)), Object.keys(paths));
  });
  it('the server names: container, loopback, publish address (unless 0.0.0.0), endpoint host', () => {
    assert.deepEqual(
      serverNames(configFrom({ TEMPORAL_PUBLISH_ADDRESS: '0.0.0.0', TEMPORAL_ENDPOINT_HOST: 'docker.lan' })),
      ['temporal-server', 'localhost', '127.0.0.1', '::1', 'docker.lan'],
    );
    assert.deepEqual(serverNames(configFrom({ TEMPORAL_PROJECT: 'acme', TEMPORAL_PUBLISH_ADDRESS: '10.0.0.5' })), [
      'acme-server',
      'localhost',
      '127.0.0.1',
      '::1',
      '10.0.0.5',
    ]);
    assert.deepEqual(serverNames(configFrom({ TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com' })).slice(0, 2), [
      'temporal.example.com',
      'temporal-server',
    ]);
  });
});

describe("start's check of the TLS files, before the engine", () => {
  /** A config of mtls whose six paths are certs create's files in a fresh directory. */
  async function mtlsFiles(): Promise<{
    config: ReturnType<typeof configFrom>;
    paths: ReturnType<typeof certFilePaths>;
  }> {
    const paths = await writeCertificates(join(mkdtempSync(join(tmpdir(), 'tctl-usable-')), 'certs'), issued, false);
    const config = configFrom({
      TEMPORAL_TLS: 'mtls',
      TEMPORAL_TLS_SERVER_CERT_PATH: paths.serverCert,
      TEMPORAL_TLS_SERVER_KEY_PATH: paths.serverKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: paths.ca,
      TEMPORAL_TLS_CLIENT_CA_CERT_PATH: paths.ca,
      TEMPORAL_TLS_CLIENT_CERT_PATH: paths.clientCert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: paths.clientKey,
    });
    return { config, paths };
  }
  const problems = (config: ReturnType<typeof configFrom>): string[] => {
    try {
      assertTlsFilesUsable(config);
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.lines;
    }
  };

  it('passes what certs create wrote', async () => {
    assert.deepEqual(problems((await mtlsFiles()).config), []);
  });
  it('a certificate Go would refuse (a padded serial number): names the key, the reason and certs create', async () => {
    const { config, paths } = await mtlsFiles();
    const keys = forge.pki.rsa.generateKeyPair(1024);
    const cert = forge.pki.createCertificate();
    cert.serialNumber = `000${'7f'.repeat(14)}`; // forge writes 00 7f …: a leading zero octet DER forbids
    cert.publicKey = keys.publicKey;
    cert.validity.notBefore = NOW;
    cert.validity.notAfter = new Date(NOW.getTime() + 86_400_000);
    cert.setSubject([{ name: 'commonName', value: 'padded' }]);
    cert.setIssuer(cert.subject.attributes);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    writeFileSync(paths.serverCert, forge.pki.certificateToPem(cert));
    assert.deepEqual(problems(config), [
      `TEMPORAL_TLS_SERVER_CERT_PATH: "${paths.serverCert}" holds an invalid certificate (asn1 encoding routines::illegal padding); run \`temporal-ctl certs create --force\` to issue new certificates`,
    ]);
  });
  it('no PEM certificate, a broken key, a key of another certificate, a missing file: one line each', async () => {
    const { config, paths } = await mtlsFiles();
    writeFileSync(paths.ca, 'not a certificate\n');
    writeFileSync(paths.clientKey, readFileSync(paths.serverKey)); // the server's key beside the client's certificate
    const foreign = join(mkdtempSync(join(tmpdir(), 'tctl-usable-')), 'key.pem');
    writeFileSync(foreign, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const got = problems({
      ...config,
      TEMPORAL_TLS_SERVER_KEY_PATH: foreign,
      TEMPORAL_TLS_CLIENT_CA_CERT_PATH: '/nonexistent/ca.pem',
    });
    // The server's pair is not compared: its key is already named.
    assert.equal(got.length, 4, got.join('\n'));
    assert.equal(
      got[0],
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH: "${paths.ca}" holds no PEM certificate; run \`temporal-ctl certs create --force\` to issue new certificates`,
    );
    assert.match(
      got[1]!,
      /^TEMPORAL_TLS_SERVER_KEY_PATH: ".*key\.pem" holds an invalid private key \(.+\); point it at a PEM file that holds one$/,
    );
    assert.equal(
      got[2],
      'TEMPORAL_TLS_CLIENT_CA_CERT_PATH: cannot read "/nonexistent/ca.pem" (ENOENT); point it at a readable PEM file',
    );
    assert.equal(
      got[3],
      `TEMPORAL_TLS_CLIENT_KEY_PATH: "${paths.clientKey}" is not the key of the certificate in TEMPORAL_TLS_CLIENT_CERT_PATH ("${paths.clientCert}"); point both at one pair (\`temporal-ctl certs create --force\` writes a new one)`,
    );
  });
  it('nothing with TLS off', () => {
    assert.deepEqual(problems(configFrom({ TEMPORAL_TLS_SERVER_CERT_PATH: '/nonexistent/server.pem' })), []);
  });
});

describe('TEMPORAL_TLS config', () => {
  it('defaults the paths to the state directory with TLS on, and leaves them empty when off', () => {
    const off = configFrom({});
    assert.equal(off.TEMPORAL_TLS, 'off');
    assert.equal(off.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '');
    assert.equal(off.TEMPORAL_TLS_CLIENT_CERT_PATH, '');
    const server = configFrom({ TEMPORAL_TLS: 'server' });
    assert.equal(server.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '.temporal-ctl/certs/ca.pem');
    assert.equal(server.TEMPORAL_TLS_SERVER_CERT_PATH, '.temporal-ctl/certs/server.pem');
    assert.equal(server.TEMPORAL_TLS_CLIENT_CERT_PATH, '', 'no client certificate without mtls');
    const mtls = configFrom({ TEMPORAL_TLS: 'mtls', TEMPORAL_STATE_DIR: 'state' });
    assert.equal(mtls.TEMPORAL_TLS_CLIENT_CERT_PATH, 'state/certs/client.pem');
    assert.equal(mtls.TEMPORAL_TLS_CLIENT_KEY_PATH, 'state/certs/client-key.pem');
    assert.equal(mtls.TEMPORAL_TLS_CLIENT_CA_CERT_PATH, 'state/certs/ca.pem');
  });
  it('resolves relative paths: defaults and the env file against the project, flags and environment against the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-tls-paths-'));
    const envFile = join(dir, 'temporal.env');
    writeFileSync(envFile, 'TEMPORAL_TLS=mtls\nTEMPORAL_TLS_SERVER_CERT_PATH=pki/server.pem\n');
    const { config: c } = loadConfig({ envFile, env: { TEMPORAL_TLS_SERVER_CA_CERT_PATH: 'ca.pem' }, cwd: '/work' });
    assert.equal(c.TEMPORAL_TLS_SERVER_CERT_PATH, join(dir, 'pki/server.pem'));
    assert.equal(c.TEMPORAL_TLS_CLIENT_CERT_PATH, join(dir, '.temporal-ctl/certs/client.pem'));
    assert.equal(c.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '/work/ca.pem');
    assert.equal(c.TEMPORAL_TLS_CLIENT_CA_CERT_PATH, '/work/ca.pem', 'the defaulted client CA follows the server CA');
  });

  it('refuses a mode outside off|server|mtls, and mtls without a client certificate', () => {
    const bad = parseConfig({ env: { TEMPORAL_TLS: 'on' } });
    assert.match(bad.ok ? '' : bad.errors.join('\n'), /^TEMPORAL_TLS: .*off.*server.*mtls/);
    const noCert = parseConfig({
      env: { TEMPORAL_TLS: 'mtls', TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' },
    });
    assert.deepEqual(noCert.ok ? [] : noCert.errors, [
      'TEMPORAL_TLS_CLIENT_CERT_PATH: empty, but TEMPORAL_TLS=mtls needs it (set in the environment); leave it at its default (`temporal-ctl certs create` writes the file) or name a PEM file',
    ]);
  });
});

describe('the stack per TEMPORAL_TLS mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-tls-stack-'));
  const files = certFilePaths(dir);
  const pem = (p: string) => readFileSync(p, 'utf8');
  const tlsEnv = (mode: string) => ({
    TEMPORAL_TLS: mode,
    TEMPORAL_TLS_SERVER_CERT_PATH: files.serverCert,
    TEMPORAL_TLS_SERVER_KEY_PATH: files.serverKey,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
    TEMPORAL_TLS_CLIENT_CERT_PATH: files.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: files.clientKey,
  });
  const uploads = (s: ReturnType<typeof synth>, id: string) =>
    Object.fromEntries(
      ((s.container(id).upload ?? []) as { file: string; content: string }[]).map((u) => [u.file, u.content]),
    );
  const tlsKeys = (env: Record<string, string>) => Object.keys(env).filter((k) => k.startsWith('TEMPORAL_TLS'));

  it('off: no TLS variable anywhere and the gRPC health check', async () => {
    const s = synth();
    for (const id of ['server', 'ui', 'admin_tools']) assert.deepEqual(tlsKeys(s.env(id)), [], id);
    assert.match(s.container('server').healthcheck.test[1], /grpc|printf/);
  });

  it('mtls: the server requires client certificates, frontend and internode, with the files uploaded', async () => {
    await writeCertificates(dir, issued, true);
    const s = synth(tlsEnv('mtls'));
    const env = s.env('server');
    assert.deepEqual(Object.fromEntries(tlsKeys(env).map((k) => [k, env[k]])), {
      TEMPORAL_TLS_SERVER_CERT: '/etc/temporal/tls/server.pem',
      TEMPORAL_TLS_SERVER_KEY: '/etc/temporal/tls/server-key.pem',
      TEMPORAL_TLS_SERVER_CA_CERT: '/etc/temporal/tls/ca.pem',
      TEMPORAL_TLS_INTERNODE_SERVER_NAME: 'temporal-server',
      TEMPORAL_TLS_FRONTEND_CERT: '/etc/temporal/tls/server.pem',
      TEMPORAL_TLS_FRONTEND_KEY: '/etc/temporal/tls/server-key.pem',
      TEMPORAL_TLS_FRONTEND_SERVER_NAME: 'temporal-server',
      TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
      TEMPORAL_TLS_CLIENT1_CA_CERT: '/etc/temporal/tls/client-ca.pem',
      TEMPORAL_TLS_CLIENT2_CA_CERT: '/etc/temporal/tls/ca.pem',
    });
    const up = uploads(s, 'server');
    assert.equal(up['/etc/temporal/tls/server.pem'], pem(files.serverCert));
    // Keys go through Terraform's sensitive(): plans and --verbose show "(sensitive value)".
    assert.equal(up['/etc/temporal/tls/server-key.pem'], `\${sensitive(${JSON.stringify(pem(files.serverKey))})}`);
    assert.equal(up['/etc/temporal/tls/client-ca.pem'], pem(files.ca));
    assert.equal(s.container('server').healthcheck.test[1], 'nc -z 127.0.0.1 7233');
    assert.deepEqual(s.env('ui'), {
      ...s.env('ui'),
      TEMPORAL_TLS_CA: '/etc/temporal-ctl/tls/ca.pem',
      TEMPORAL_TLS_CERT: '/etc/temporal-ctl/tls/client.pem',
      TEMPORAL_TLS_KEY: '/etc/temporal-ctl/tls/client-key.pem',
      TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
      TEMPORAL_TLS_SERVER_NAME: 'temporal-server',
    });
    assert.equal(
      uploads(s, 'ui')['/etc/temporal-ctl/tls/client-key.pem'],
      `\${sensitive(${JSON.stringify(pem(files.clientKey))})}`,
    );
    const admin = s.env('admin_tools');
    assert.deepEqual(tlsKeys(admin).sort(), [
      'TEMPORAL_TLS_CLIENT_CERT_PATH',
      'TEMPORAL_TLS_CLIENT_KEY_PATH',
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      'TEMPORAL_TLS_SERVER_NAME',
    ]);
    assert.equal(uploads(s, 'admin_tools')['/etc/temporal-ctl/tls/client.pem'], pem(files.clientCert));
  });

  it('server: TLS without client certificates; clients get only the CA', async () => {
    await writeCertificates(dir, issued, true);
    const s = synth({ ...tlsEnv('server'), TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' });
    const env = s.env('server');
    assert.equal(env.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH, 'false');
    assert.equal(env.TEMPORAL_TLS_CLIENT1_CA_CERT, undefined);
    assert.equal(env.TEMPORAL_TLS_FRONTEND_CERT, '/etc/temporal/tls/server.pem');
    assert.deepEqual(Object.keys(uploads(s, 'ui')), ['/etc/temporal-ctl/tls/ca.pem']);
    assert.equal(s.env('ui').TEMPORAL_TLS_CERT, undefined);
    assert.equal(s.env('admin_tools').TEMPORAL_TLS_CLIENT_CERT_PATH, undefined);
  });

  it('roles: the balancer terminates TLS, asks callers for a client certificate under mtls, and opens TLS of its own to the frontends', async () => {
    await writeCertificates(dir, issued, true);
    const roles = { TEMPORAL_TOPOLOGY: 'roles' };
    const s = synth({ ...tlsEnv('mtls'), ...roles });
    const conf = uploads(s, 'frontend_lb')['/etc/nginx/conf.d/default.conf'] ?? '';
    assert.match(conf, /listen 7233 ssl http2;/);
    assert.match(conf, /listen 7243 ssl;/);
    assert.equal(conf.match(/ssl_verify_client on;/g)?.length, 2, 'both listeners');
    assert.match(conf, /ssl_client_certificate \/etc\/temporal\/tls\/client-ca\.pem;/);
    assert.match(conf, /grpc_pass grpcs:\/\/\$frontends:7233;/);
    assert.match(conf, /grpc_ssl_name temporal-server;/);
    assert.match(conf, /grpc_ssl_certificate \/etc\/temporal\/tls\/server\.pem;/);
    assert.match(conf, /proxy_pass https:\/\/\$frontends:7243;/);
    assert.match(conf, /proxy_ssl_verify on;/);
    const up = uploads(s, 'frontend_lb');
    assert.equal(up['/etc/temporal/tls/client-ca.pem'], pem(files.ca));
    assert.equal(up['/etc/temporal/tls/server-key.pem'], `\${sensitive(${JSON.stringify(pem(files.serverKey))})}`);
    assert.match(s.container('frontend_lb').healthcheck.test[1], /curl -s -o \/dev\/null -k https:/);
    assert.equal(s.env('frontend_1').TEMPORAL_TLS_REQUIRE_CLIENT_AUTH, 'true');
    assert.equal(s.env('ui').TEMPORAL_TLS_SERVER_NAME, 'temporal-server');

    const server = synth({
      ...tlsEnv('server'),
      ...roles,
      TEMPORAL_TLS_CLIENT_CERT_PATH: '',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '',
    });
    const plain = uploads(server, 'frontend_lb')['/etc/nginx/conf.d/default.conf'] ?? '';
    assert.match(plain, /listen 7233 ssl http2;/);
    assert.doesNotMatch(plain, /ssl_verify_client|grpc_ssl_certificate /);
    assert.equal(uploads(server, 'frontend_lb')['/etc/temporal/tls/client-ca.pem'], undefined);
  });

  it('a missing certificate file is a config error naming the key and `certs create`', () => {
    assert.throws(
      () => synth({ ...tlsEnv('mtls'), TEMPORAL_TLS_SERVER_CERT_PATH: join(dir, 'missing.pem') }),
      /TEMPORAL_TLS_SERVER_CERT_PATH: .*missing\.pem does not exist; run `temporal-ctl certs create`/,
    );
  });

  it('a path that exists but cannot be read (a directory) is a config error naming the key, not a crash', () => {
    assert.throws(
      () => synth({ ...tlsEnv('mtls'), TEMPORAL_TLS_SERVER_CERT_PATH: dir }),
      (e: Error) =>
        e instanceof ConfigError &&
        /TEMPORAL_TLS_SERVER_CERT_PATH: cannot read ".*" \(EISDIR\); point it at a readable PEM file/.test(e.message),
    );
  });
});

describe('status: the server certificate expiry', () => {
  const certFile = (days: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-expiry-'));
    const path = join(dir, 'server.pem');
    writeFileSync(path, issueCertificates({ serverNames: ['x'], days, now: NOW }).server.cert);
    return configFrom({ TEMPORAL_TLS: 'server', TEMPORAL_TLS_SERVER_CERT_PATH: path });
  };
  it('days left, and a warning only under 30', async () => {
    const later = new Date(NOW.getTime() + 3_600_000);
    const fine = await serverCertificateExpiry(certFile(30), later);
    assert.equal(fine && 'daysLeft' in fine ? fine.daysLeft : undefined, 29);
    assert.match(expiryWarning(fine) ?? '', /^the server certificate expires in 29 days \(2026-12-26\); renew it/);
    const long = await serverCertificateExpiry(certFile(365), later);
    assert.equal(expiryWarning(long), undefined);
    assert.match(expiryLine(long!), /^TLS server: server certificate valid until 2027-11-26 \(364 days left\)$/);
    const expired = await serverCertificateExpiry(certFile(1), new Date(NOW.getTime() + 3 * 86_400_000));
    assert.match(expiryWarning(expired) ?? '', /^the server certificate expired on 2026-11-27/);
  });
  it('none with TLS off; an unreadable file is a warning naming the key', async () => {
    assert.equal(await serverCertificateExpiry(configFrom({})), undefined);
    const missing = await serverCertificateExpiry(
      configFrom({ TEMPORAL_TLS: 'server', TEMPORAL_TLS_SERVER_CERT_PATH: '/nonexistent/server.pem' }),
    );
    assert.equal(
      expiryWarning(missing),
      'TEMPORAL_TLS_SERVER_CERT_PATH: /nonexistent/server.pem: cannot read the server certificate (ENOENT)',
    );
  });
});
