// Mutual TLS against a real Temporal server (1.32.2, started with the stack's TLS environment from
// `temporal-ctl config env` and certificates from `temporal-ctl certs create`): a client without a
// certificate is refused by the server itself; with it, temporal-ctl's probes, namespace commands
// and Temporal's own CLI work.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { projectPaths } from '../../src/project/paths.js';
import { clientEnv } from '../../src/lifecycle/worker-env.js';
import { certFilePaths, certsDir } from '../../src/tls/files.js';
import { signalWorker } from '../e2e/worker.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { WORKFLOW_SERVICE } from '../../src/model/temporal-api.js';
import { cliEnv, spawnCli } from '../support/cli.js';
import { loadTestEnv, NOT_UP_MESSAGE } from '../support/env.js';
import { MTLS_REFUSED } from '../support/tls-refusal.js';
import { startTlsServer, type TlsServer } from './tls-server.js';

const run = promisify(execFile);
const testEnv = loadTestEnv();
const BIN = join(PROJECT_ROOT, 'bin', 'temporal-ctl');

describe('TEMPORAL_TLS=mtls against a real server', { skip: testEnv ? false : NOT_UP_MESSAGE }, () => {
  let server: TlsServer;
  const ctl = (...args: string[]) => spawnCli(['--env-file', server.envFile, ...args], { bin: BIN, env: cliEnv() });
  /** Temporal's CLI with the --tls-* flags `certs create` printed the files for. */
  const temporal = (args: string[], tls = true) =>
    run(testEnv!.cli.temporal, [
      ...args,
      '--address',
      server.address,
      ...(tls
        ? [
            '--tls-ca-path',
            server.certs.ca,
            '--tls-cert-path',
            server.certs.clientCert,
            '--tls-key-path',
            server.certs.clientKey,
            '--tls-server-name',
            server.certs.serverName,
          ]
        : ['--tls-ca-path', server.certs.ca, '--tls-server-name', server.certs.serverName]),
    ]);

  before(async () => {
    server = await startTlsServer(testEnv!, 'mtls');
    const deadline = Date.now() + 90_000;
    for (;;) {
      const health = await temporal(['operator', 'cluster', 'health']).catch((error: { stderr?: string }) => error);
      if ('stdout' in health && /SERVING/.test(String(health.stdout))) break;
      if (Date.now() > deadline || !server.alive())
        throw new Error(`TLS server not SERVING (exited, or 90 s passed):\n${await readFile(server.log, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  after(async () => server?.stop());

  it('refuses a client without a certificate: the SDK cannot connect, the TLS handshake fails', async () => {
    const tls = {
      serverRootCACertificate: await readFile(server.certs.ca),
      serverNameOverride: server.certs.serverName,
    };
    const refused = await Connection.connect({ address: server.address, connectTimeout: 3_000, tls }).then(
      async (conn) => {
        await conn.close();
        return undefined;
      },
      (e: Error) => e,
    );
    assert.ok(refused, 'the SDK connected without a client certificate');
    // grpc-js reports only a deadline; Temporal's CLI names the handshake failure.
    const cli = await temporal(['operator', 'cluster', 'health'], false).then(
      () => ({ stderr: 'answered' }),
      (e: { stderr: string }) => e,
    );
    assert.match(cli.stderr, /TLS handshake failed: server requires client certificate/);
    // The same SDK call with the client certificate answers: the certificate is what was missing.
    const conn = await Connection.connect({
      address: server.address,
      connectTimeout: 5_000,
      tls: {
        ...tls,
        clientCertPair: { crt: await readFile(server.certs.clientCert), key: await readFile(server.certs.clientKey) },
      },
    });
    try {
      const { status } = await conn.healthService.check({ service: WORKFLOW_SERVICE });
      assert.equal(status, 1); // SERVING
    } finally {
      await conn.close();
    }
  });

  it('refuses a plaintext client', async () => {
    const conn = await Connection.connect({ address: server.address, connectTimeout: 3_000 }).catch((e: Error) => e);
    assert.ok(conn instanceof Error, 'a plaintext connection must not come up');
  });

  it("Temporal's CLI answers SERVING with the --tls-* flags", async () => {
    const { stdout } = await temporal(['operator', 'cluster', 'health']);
    assert.match(stdout, /SERVING/);
  });

  it('namespace create and list work through the certificates (temporal-ctl)', async () => {
    const created = await ctl('namespace', 'create', 'default', '--retention', '1d');
    assert.equal(created.code, 0, created.stderr);
    const listed = await ctl('namespace', 'list', '-o', 'json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /"default"/);
    const { stdout } = await temporal(['operator', 'namespace', 'list']);
    assert.match(stdout, /default/);
  });

  it('status probes the server healthy over mTLS and the namespace usable', async () => {
    const deadline = Date.now() + 30_000;
    let doc: StatusDocument;
    for (;;) {
      const r = await ctl('status', '-o', 'json');
      doc = JSON.parse(r.stdout) as StatusDocument;
      const server = doc.services.find((s) => s.service === 'server');
      if ((server?.healthy && doc.namespace?.usable) || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    const byName = Object.fromEntries(doc.services.map((s) => [s.service, s]));
    assert.equal(byName.server?.healthy, true, byName.server?.detail);
    assert.equal(byName.server?.version, testEnv!.temporal.version);
    assert.equal(byName.postgresql?.healthy, true, byName.postgresql?.detail);
    assert.equal(doc.namespace?.usable, true, doc.namespace?.detail);
    const tls = (doc as StatusDocument & { tls: { mode: string; daysLeft: number; path: string } }).tls;
    assert.equal(tls.mode, 'mtls');
    assert.ok(tls.daysLeft >= 364 && tls.daysLeft <= 365, String(tls.daysLeft));
    const { config } = loadConfig({ envFile: server.envFile, env: {} });
    assert.equal(tls.path, certFilePaths(certsDir(projectPaths(config, server.dir))).serverCert);
    const text = await ctl('status');
    assert.match(text.stdout, /TLS mtls: server certificate valid until \d{4}-\d\d-\d\d \(36[45] days left\)/);
  });

  it('a Python SDK worker connects with the settings start prints (clientEnv), and is refused without the client certificate', async () => {
    const { config } = loadConfig({ envFile: server.envFile, env: {} });
    const env = clientEnv(config);
    assert.deepEqual(Object.keys(env).sort(), [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TLS_CLIENT_CERT_PATH',
      'TEMPORAL_TLS_CLIENT_KEY_PATH',
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      'TEMPORAL_TLS_SERVER_NAME',
    ]);
    assert.equal(env.TEMPORAL_ADDRESS, server.address);
    const id = `tls-${Date.now()}`;
    const started = await signalWorker(testEnv!, env, 'start', id);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.doc?.waiting, true);
    const finished = await signalWorker(testEnv!, env, 'finish', id, 'over mTLS');
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(finished.doc?.result, 'signalled: over mTLS');
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...withoutCert } = env;
    const refused = await signalWorker(testEnv!, withoutCert as typeof env, 'start', `${id}-refused`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, MTLS_REFUSED);
    // The server's side: the refused worker never started its workflow.
    const described = await temporal([
      'workflow',
      'describe',
      '--namespace',
      env.TEMPORAL_NAMESPACE!,
      '-w',
      `${id}-refused`,
    ]).then(
      () => ({ stderr: 'found' }),
      (e: { stderr: string }) => e,
    );
    assert.match(described.stderr, /not found/i);
  });

  it('without the client certificate: a config error under mtls, an unhealthy server when TLS is only server', async () => {
    const r = await spawnCli(['--env-file', server.envFile, 'status', '-o', 'json'], {
      bin: BIN,
      env: cliEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    });
    // mtls refuses an empty client certificate at config time: exit 2, naming the key.
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /TEMPORAL_TLS_CLIENT_CERT_PATH: empty, but TEMPORAL_TLS=mtls needs it/);
    const server2 = await spawnCli(['--env-file', server.envFile, 'status', '-o', 'json'], {
      bin: BIN,
      env: cliEnv({
        TEMPORAL_TLS: 'server',
        TEMPORAL_TLS_CLIENT_CERT_PATH: '',
        TEMPORAL_TLS_CLIENT_KEY_PATH: '',
        TEMPORAL_PROBE_TIMEOUT: '1s',
      }),
    });
    assert.equal(server2.code, 1, server2.stderr);
    const doc = JSON.parse(server2.stdout) as StatusDocument;
    assert.equal(doc.services.find((s) => s.service === 'server')?.healthy, false);
  });
});

describe('TEMPORAL_TLS=server against a real server', { skip: testEnv ? false : NOT_UP_MESSAGE }, () => {
  let server: TlsServer;
  before(async () => {
    server = await startTlsServer(testEnv!, 'server');
  });
  after(async () => server?.stop());

  it('temporal-ctl reaches it with the CA alone (no client certificate), a plaintext client does not', async () => {
    const deadline = Date.now() + 90_000;
    let listed: Awaited<ReturnType<typeof spawnCli>>;
    for (;;) {
      listed = await spawnCli(['--env-file', server.envFile, 'namespace', 'list', '-o', 'json'], {
        bin: BIN,
        env: cliEnv(),
      });
      if (listed.code === 0 || Date.now() > deadline || !server.alive()) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(listed.code, 0, `${listed.stderr}\n${await readFile(server.log, 'utf8').catch(() => '')}`);
    assert.match(listed.stdout, /temporal-system/);
    const { config } = loadConfig({ envFile: server.envFile, env: {} });
    assert.equal(config.TEMPORAL_TLS_CLIENT_CERT_PATH, '');
    assert.deepEqual(Object.keys(clientEnv(config)).sort(), [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      'TEMPORAL_TLS_SERVER_NAME',
    ]);
    const plain = await Connection.connect({ address: server.address, connectTimeout: 3_000 }).catch((e: Error) => e);
    assert.ok(plain instanceof Error, 'a plaintext connection must not come up');
  });
});
