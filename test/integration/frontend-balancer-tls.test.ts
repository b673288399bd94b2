// The frontends' balancer with TEMPORAL_TLS=mtls: the stack's own server blocks (balancerConf with
// its TLS lines) run by a real nginx (Debian's, the same release family as the stand-in image) on
// the host, in front of two stand-in frontends that require a client certificate as Temporal's does
// (Node's HTTP/2 and HTTPS servers with `certs create`'s certificates: a whole Temporal cluster
// behind nginx is the roles e2e's and the TLS e2e's job). A caller with the client certificate gets
// through on both ports, the frontend sees the balancer's certificate, and a caller without one, or
// with one of another CA, is answered by nginx with 400 and reaches no frontend.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeCertificates } from '../../src/tls/files.js';
import { issueCertificates } from '../../src/tls/issue.js';
import { balancerConf } from '../../stacks/constructs/frontend-balancer.js';
import { freePorts } from '../support/free-ports.js';
import { httpsRequest } from '../support/https-request.js';

const isCI = process.env.CI === 'true' || process.env.CI === '1';
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
if (!hasNginx && isCI) throw new Error('nginx is not installed (scripts/test-env up installs it)');

const SERVER_NAME = 'temporal-server';

interface Answer {
  readonly status: number;
  readonly body: string;
}

describe('the frontends balancer under mtls (real nginx, stand-in frontends)', {
  skip: hasNginx ? false : 'nginx is not installed: run `bash scripts/test-env up`',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tctl-lb-tls-'));
  const issued = issueCertificates({ serverNames: [SERVER_NAME, 'localhost', '127.0.0.1'] });
  let paths: Awaited<ReturnType<typeof writeCertificates>>;
  let listen = { grpc: 0, http: 0 };
  let nginx: ReturnType<typeof spawn> | undefined;
  let grpcFrontend: Http2SecureServer;
  let httpFrontend: Server;
  /** The subject CN of each client certificate a stand-in frontend saw. */
  const seenByFrontends: string[] = [];

  const peerName = (socket: TLSSocket) => String(socket.getPeerCertificate().subject?.CN ?? '(none)');
  const frontendTls = () => ({
    cert: issued.server.cert,
    key: issued.server.key,
    ca: issued.ca.cert,
    // As Temporal's frontend under mtls: no certificate of its CA, no connection.
    requestCert: true,
    rejectUnauthorized: true,
  });

  before(async () => {
    paths = await writeCertificates(join(dir, 'certs'), issued, false);
    grpcFrontend = createSecureServer({ ...frontendTls(), allowHTTP1: false }, (req, res) => {
      seenByFrontends.push(peerName(req.socket as TLSSocket));
      res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '0' });
      res.end(`grpc frontend: ${req.url}`);
    });
    httpFrontend = createHttpsServer(frontendTls(), (req, res) => {
      seenByFrontends.push(peerName(req.socket as TLSSocket));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await Promise.all([
      new Promise<void>((ok) => grpcFrontend.listen(0, '127.0.0.1', ok)),
      new Promise<void>((ok) => httpFrontend.listen(0, '127.0.0.1', ok)),
    ]);
    const upstream = {
      grpc: (grpcFrontend.address() as AddressInfo).port,
      http: (httpFrontend.address() as AddressInfo).port,
    };
    const [grpc, http] = await freePorts(2);
    listen = { grpc: grpc as number, http: http as number };
    // The stack's server blocks, listening on loopback, the frontends' name resolved to loopback.
    const server = balancerConf(listen, '127.0.0.1', upstream, {
      certPath: paths.serverCert,
      keyPath: paths.serverKey,
      caPath: paths.ca,
      serverName: SERVER_NAME,
      clientCaPath: paths.ca,
      files: [],
    })
      .replace(`listen ${listen.grpc} ssl`, `listen 127.0.0.1:${listen.grpc} ssl`)
      .replace(`listen ${listen.http} ssl`, `listen 127.0.0.1:${listen.http} ssl`)
      .replace(/resolver [^;]+;/, 'resolver 127.0.0.1 valid=2s ipv6=off;');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n${server}}\n`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await httpsGet('/', {}).catch(() => undefined))) {
      if (Date.now() > deadline)
        throw new Error(`nginx did not answer: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  });
  after(() => {
    nginx?.kill('SIGTERM');
    grpcFrontend?.close();
    httpFrontend?.close();
  });

  /** A caller's TLS options: the cluster CA and the name, with or without a client certificate. */
  const caller = (withCert: boolean, ca = issued.ca.cert) => ({
    ca,
    servername: SERVER_NAME,
    ...(withCert ? { cert: issued.client.cert, key: issued.client.key } : {}),
  });

  const httpsGet = (path: string, tls: ReturnType<typeof caller> | Record<string, never>): Promise<Answer> =>
    httpsRequest({ host: '127.0.0.1', port: listen.http, path, ...caller(false), ...tls, timeout: 5_000 });

  /** One HTTP/2 POST as a gRPC client sends it: the status nginx or the frontend answered. */
  function grpcCall(tls: ReturnType<typeof caller>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const session = connect(`https://127.0.0.1:${listen.grpc}`, tls);
      session.on('error', reject);
      const stream = session.request({
        ':method': 'POST',
        ':path': '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      let status = 0;
      let body = '';
      stream.on('response', (h) => {
        status = Number(h[':status']);
      });
      stream.on('data', (d: Buffer) => {
        body += d.toString();
      });
      stream.on('end', () => {
        session.close();
        resolve({ status, body });
      });
      stream.on('error', reject);
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  }

  it('a gRPC call with the client certificate reaches a frontend, which sees the balancer’s certificate', async () => {
    seenByFrontends.length = 0;
    const r = await grpcCall(caller(true));
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /grpc frontend: \/temporal\.api\.workflowservice\.v1\.WorkflowService\/GetSystemInfo/);
    assert.deepEqual(seenByFrontends, [SERVER_NAME]);
  });

  it('an HTTP API call with the client certificate reaches a frontend over TLS', async () => {
    seenByFrontends.length = 0;
    const r = await httpsGet('/api/v1/namespaces', caller(true));
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { path: '/api/v1/namespaces' });
    assert.deepEqual(seenByFrontends, [SERVER_NAME]);
  });

  it('without a client certificate, or with one of another CA, nginx answers 400 on both ports and no frontend is reached', async () => {
    seenByFrontends.length = 0;
    const other = issueCertificates({ serverNames: ['x'] });
    const foreign = { ...caller(false), cert: other.client.cert, key: other.client.key };
    for (const tls of [caller(false), foreign]) {
      const grpc = await grpcCall(tls);
      assert.equal(grpc.status, 400, grpc.body);
      const http = await httpsGet('/api/v1/namespaces', tls);
      assert.equal(http.status, 400);
      assert.match(http.body, /No required SSL certificate was sent|The SSL certificate error/);
    }
    assert.deepEqual(seenByFrontends, []);
  });

  it('a caller that trusts another CA refuses the balancer', async () => {
    const other = issueCertificates({ serverNames: [SERVER_NAME] }).ca.cert;
    await assert.rejects(httpsGet('/', caller(true, other)), /self-signed|unable to verify|certificate/i);
  });
});
