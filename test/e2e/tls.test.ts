// TEMPORAL_TLS=mtls end to end on the real engine with real terraform and the real provider:
// `certs create`, then `start` deploys the stack with the certificates uploaded; every service is
// healthy over mTLS (the UI's probe goes through the UI to the server, so the UI's TLS counts), the
// server container's own healthcheck passes, admin-tools' `temporal` works from its environment, a
// Python SDK worker runs a workflow with the `clientEnv` that `start -o json` printed, and the
// published frontend refuses a client without the client certificate and a plaintext one. Then the
// same cluster switches to TEMPORAL_TOPOLOGY=roles, and the frontends' balancer holds the same line:
// Temporal's CLI, an SDK worker and the HTTP API get through with the certificate and not without.
// Its own project name (postgres visibility, for speed), so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe } from 'node:test';
import { Connection } from '@temporalio/client';
import { containerName } from '../../src/model/names-and-endpoints.js';
import { execIn } from '../../src/docker/container-exec.js';
import { WORKFLOW_SERVICE } from '../../src/model/temporal-api.js';
import { certFilePaths } from '../../src/tls/files.js';
import { setEnvFileKeys } from '../../src/config/env-file-edit.js';
import type { StatusDocument } from '../../src/probes/document.js';
import { json, tail } from '../support/cli.js';
import { loadTestEnv, type TestEnv } from '../support/env.js';
import { MTLS_REFUSED } from '../support/tls-refusal.js';
import { httpsRequest } from '../support/https-request.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy } from './healthy.js';
import { E2E_PROJECT } from './provision.js';
import { assertSignalledWorkflow, type ClientEnv, signalWorker, temporalCli } from './worker.js';

const PROJECT = `${E2E_PROJECT}-tls`;
const WORKFLOW_ID = `tls-${Date.now().toString(36)}`;
type TlsClientEnv = ClientEnv & Record<string, string>;

describe(
  'TEMPORAL_TLS=mtls: the deployed cluster speaks only mutual TLS, and every client of it gets the certificates',
  suiteOptions(),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let client: TlsClientEnv;
    let certs: { ca: string; clientCert: string; clientKey: string; serverName: string };

    /** Temporal's CLI inside admin-tools, with the TLS settings of its own environment. */
    const describeInAdminTools = () =>
      execIn(run.docker, containerName(run.config, 'admin-tools'), [
        'temporal',
        'operator',
        'namespace',
        'describe',
        '-n',
        run.config.TEMPORAL_NAMESPACE,
      ]);

    const STARTED = step('certs create, then start: exit 0, clientEnv carries the TLS files', async (t) => {
      run = await suite.start({
        project: PROJECT,
        settings: { TEMPORAL_VISIBILITY: 'postgres', TEMPORAL_TLS: 'mtls' },
      });
      for (const note of run.notes) t.diagnostic(note);
      const created = await run.ctl(['certs', 'create', '-o', 'json']);
      assert.equal(created.code, 0, tail(created));
      certs = json(created);
      const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      client = json<{ clientEnv: TlsClientEnv }>(r).clientEnv;
      assert.deepEqual(
        {
          ca: client.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
          clientCert: client.TEMPORAL_TLS_CLIENT_CERT_PATH,
          clientKey: client.TEMPORAL_TLS_CLIENT_KEY_PATH,
          serverName: client.TEMPORAL_TLS_SERVER_NAME,
        },
        certs,
      );
    });

    step('every service healthy over mTLS (status), and the server container healthy by its own check', async () => {
      await assertAllHealthy(run);
      const info = await run.docker.getContainer(containerName(run.config, 'server')).inspect();
      assert.equal(info.State.Health?.Status, 'healthy');
      assert.ok(info.Config.Env.includes('TEMPORAL_TLS_REQUIRE_CLIENT_AUTH=true'));
    }, [STARTED]);

    step("admin-tools' temporal reaches the server with the certificates from its environment", async () => {
      const r = await describeInAdminTools();
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, new RegExp(run.config.TEMPORAL_NAMESPACE));
    }, [STARTED]);

    step('a Python SDK worker runs a workflow with the clientEnv start printed', async () => {
      const env = loadTestEnv() as TestEnv;
      await assertSignalledWorkflow(env, client, WORKFLOW_ID, 'over mTLS');
    }, [STARTED]);

    step('the published frontend refuses a worker without the client certificate, and a plaintext client', async () => {
      const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...withoutCert } = client;
      const refused = await signalWorker(
        loadTestEnv() as TestEnv,
        withoutCert as TlsClientEnv,
        'start',
        `${WORKFLOW_ID}-x`,
      );
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, MTLS_REFUSED);
      const plain = await Connection.connect({ address: client.TEMPORAL_ADDRESS, connectTimeout: 3_000 }).then(
        async (c) => {
          const answered = await c.healthService.check({ service: WORKFLOW_SERVICE }).then(
            () => true,
            () => false,
          );
          await c.close();
          return answered;
        },
        () => false,
      );
      assert.equal(plain, false, 'a plaintext client got an answer');
      // The CA the run holds is the one the server presents: the client certificate alone is what mattered.
      assert.match(await readFile(certs.ca, 'utf8'), /BEGIN CERTIFICATE/);
    }, [STARTED]);

    const STABLE =
      step('a second start finds the cluster as configured; plan shows no change (uploads and sensitive keys are stable)', async () => {
        const again = await run.ctl(['start', '--timeout', '120s']);
        assert.equal(again.code, 0, tail(again));
        assert.match(again.stdout + again.stderr, /already running as configured/);
        const plan = await run.ctl(['plan', '--detailed-exitcode']);
        assert.equal(plan.code, 0, tail(plan));
      }, [STARTED]);

    step('renewed certificates (certs create --force): plan -v never shows a private key; start --yes rolls them out and workers reconnect', async () => {
      const renewed = await run.ctl(['certs', 'create', '--force']);
      assert.equal(renewed.code, 0, tail(renewed));
      const keyLines = (await readFile(certs.clientKey, 'utf8')).split('\n').filter((l) => l.length > 40);
      const serverKeyLines = (await readFile(certFilePaths(dirname(certs.ca)).serverKey, 'utf8'))
        .split('\n')
        .filter((l) => l.length > 40);
      const plan = await run.ctl(['-v', 'plan', '--detailed-exitcode']);
      assert.equal(plan.code, 3, tail(plan)); // changes pending: the containers holding the files are replaced
      const shown = plan.stdout + plan.stderr;
      assert.match(shown, /docker_container\.server: Plan to replace/);
      for (const line of [...keyLines, ...serverKeyLines])
        assert.ok(!shown.includes(line), 'a private key line in plan -v');
      const r = await run.ctl(['start', '--yes', '--timeout', '300s']);
      assert.equal(r.code, 0, tail(r));
      await assertAllHealthy(run);
      const id = `${WORKFLOW_ID}-renewed`;
      const started = await signalWorker(loadTestEnv() as TestEnv, client, 'start', id);
      assert.equal(started.code, 0, started.stderr);
    }, [STABLE]);

    /** Temporal's CLI through the published gRPC port, with the CA and name, and the client certificate if asked. */
    const temporalWithTls = (withCert: boolean, args: string[]) =>
      temporalCli(loadTestEnv() as TestEnv, client, [
        ...args,
        '--tls-ca-path',
        certs.ca,
        '--tls-server-name',
        certs.serverName,
        ...(withCert ? ['--tls-cert-path', certs.clientCert, '--tls-key-path', certs.clientKey] : []),
      ]);
    /** GET on the published HTTP API port over TLS: status and body, or the connection's error. */
    const httpApi = async (path: string, withCert: boolean) => {
      const [ca, cert, key] = await Promise.all(
        [certs.ca, certs.clientCert, certs.clientKey].map((f) => readFile(f, 'utf8')),
      );
      return httpsRequest({
        host: run.config.TEMPORAL_PUBLISH_ADDRESS,
        port: run.config.TEMPORAL_HTTP_PORT,
        path,
        ca,
        servername: certs.serverName,
        ...(withCert ? { cert, key } : {}),
        timeout: 10_000,
      });
    };

    const ROLES = step(
      'TEMPORAL_TOPOLOGY=roles under mtls: start replaces the server by the roles behind the balancer, every probe healthy over mTLS, the ring complete',
      async (t) => {
        const parked = await signalWorker(loadTestEnv() as TestEnv, client, 'start', `${WORKFLOW_ID}-across`);
        assert.equal(parked.code, 0, parked.stderr);
        setEnvFileKeys(
          run.envFile,
          { TEMPORAL_TOPOLOGY: 'roles', TEMPORAL_HISTORY_REPLICAS: '1' },
          'the suite runs the roles under mtls',
        );
        const r = await run.ctl(['start', '--yes', '--timeout', '420s', '-o', 'json']);
        t.diagnostic(`start (single -> roles) took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r));
        assert.deepEqual(json<{ clientEnv: TlsClientEnv }>(r).clientEnv, client, 'clients keep address and files');
        await assertAllHealthy(run);
        const status = await run.ctl(['status', '-o', 'json']);
        const ring = json<StatusDocument>(status).ring;
        assert.equal(ring?.complete, true, JSON.stringify(ring));
        const lb = await run.docker.getContainer(containerName(run.config, 'frontend-lb')).inspect();
        assert.equal(lb.State.Health?.Status, 'healthy');
      },
      [STARTED],
    );

    step("through the balancer: Temporal's CLI and admin-tools with the certificate, and the workflow parked before the switch completes", async () => {
      const health = await temporalWithTls(true, ['operator', 'cluster', 'health']);
      assert.equal(health.code, 0, health.stderr);
      assert.match(health.stdout, /SERVING/);
      const inside = await describeInAdminTools();
      assert.equal(inside.exitCode, 0, inside.stderr);
      const done = await signalWorker(loadTestEnv() as TestEnv, client, 'finish', `${WORKFLOW_ID}-across`, 'via lb');
      assert.equal(done.code, 0, done.stderr);
      assert.equal(done.doc?.result, 'signalled: via lb');
    }, [ROLES]);

    step(
      'through the balancer without the client certificate: Temporal’s CLI, an SDK worker and the HTTP API are refused',
      async (t) => {
        const cli = await temporalWithTls(false, ['operator', 'cluster', 'health']);
        t.diagnostic(`temporal without a certificate: ${cli.stderr.trim().split('\n').at(-1)}`);
        assert.notEqual(cli.code, 0, cli.stdout);
        const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...withoutCert } = client;
        const worker = await signalWorker(
          loadTestEnv() as TestEnv,
          withoutCert as TlsClientEnv,
          'start',
          `${WORKFLOW_ID}-lb-x`,
          undefined,
          60_000,
        );
        t.diagnostic(`SDK without a certificate: ${worker.stderr.trim().split('\n').at(-1)}`);
        assert.notEqual(worker.code, 0);
        const path = `/api/v1/namespaces/${run.config.TEMPORAL_NAMESPACE}`;
        const refused = await httpApi(path, false);
        assert.equal(refused.status, 400);
        assert.match(refused.body, /No required SSL certificate was sent/);
        const allowed = await httpApi(path, true);
        assert.equal(allowed.status, 200, allowed.body);
        assert.equal(
          (JSON.parse(allowed.body) as { namespaceInfo?: { name?: string } }).namespaceInfo?.name,
          run.config.TEMPORAL_NAMESPACE,
        );
      },
      [ROLES],
    );
  },
);
