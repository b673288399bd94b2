// The Web UI's basic-auth gate end to end (TEMPORAL_UI_AUTH=basic), on the real engine with real
// terraform: `start` deploys nginx (the stand-in of the official image) in front of the UI, which
// itself publishes nothing; a workflow is started with Temporal's CLI; then headless Chromium
// (Debian's chromium, driven by puppeteer-core) is refused without credentials (401, nothing of the
// UI in the body: no page, no script, no API answer) and, with them, renders the workflow list with
// that workflow's row. nginx holds only a bcrypt hash; the password is in no output, no state file.
// Its own project name (postgres visibility, for speed), so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe } from 'node:test';
import { containerName, endpoints } from '../../src/model/names-and-endpoints.js';
import { execIn } from '../../src/docker/container-exec.js';
import { containerPort } from '../../src/model/service-facts.js';
import { HTPASSWD_PATH } from '../../stacks/constructs/ui-proxy.js';
import { BCRYPT_COST } from '../../stacks/ui-htpasswd.js';
import { json, tail, type Ran } from '../support/cli.js';
import { isCI, loadTestEnv, type TestEnv } from '../support/env.js';
import { userStateFile } from './engine.js';
import { e2eSuite, missingComponent, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy } from './healthy.js';
import { E2E_PROJECT } from './provision.js';
import { temporalCli, type ClientEnv } from './worker.js';

const PROJECT = `${E2E_PROJECT}-uiauth`;
const USER = 'e2e-ops';
const PASSWORD = `ui-Pw-${Date.now().toString(36)}`;
const WORKFLOW_ID = `ui-auth-${Date.now().toString(36)}`;
const CHROMIUM = '/usr/bin/chromium';
/** What only the UI's own answers carry: its SvelteKit bundle, its API's JSON, its page title. */
const UI_MARKERS = /_app\/|<script|"namespaces"|__sveltekit|Temporal UI|\{"status"/i;

function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const why = `no ${CHROMIUM}: run \`bash scripts/test-env up\` (it installs Debian's chromium)`;
  if (isCI()) throw new Error(`e2e: ${why}`);
  return why;
}

describe(
  'the Web UI behind basic auth: nothing without credentials, the workflow list with them',
  suiteOptions(missingComponent() || chromiumMissing()),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    let client: ClientEnv;
    let ui: string;
    const outputs: Ran[] = [];

    const STARTED = step(
      'start deploys the proxy; it alone publishes the UI port and every service is healthy',
      async (t) => {
        run = await suite.start({
          project: PROJECT,
          settings: {
            TEMPORAL_VISIBILITY: 'postgres',
            TEMPORAL_UI_AUTH: 'basic',
            TEMPORAL_UI_USER: USER,
            TEMPORAL_UI_PASSWORD: PASSWORD,
          },
        });
        for (const note of run.notes) t.diagnostic(note);
        const r = await run.ctl(['start', '--timeout', '300s', '-o', 'json']);
        outputs.push(r);
        assert.equal(r.code, 0, tail(r));
        client = json<{ clientEnv: ClientEnv }>(r).clientEnv;
        ui = endpoints(run.config).ui;
        const inspect = (s: 'ui' | 'ui-proxy') => run.docker.getContainer(containerName(run.config, s)).inspect();
        const [uiC, proxyC] = await Promise.all([inspect('ui'), inspect('ui-proxy')]);
        assert.deepEqual(
          Object.values(uiC.HostConfig.PortBindings ?? {}).flat(),
          [],
          'the UI container publishes a port',
        );
        assert.deepEqual(proxyC.HostConfig.PortBindings, {
          [`${containerPort('ui-proxy', 'http')}/tcp`]: [
            { HostIp: '127.0.0.1', HostPort: String(run.config.TEMPORAL_UI_PORT) },
          ],
        });
        const s = await run.ctl(['status', '--json', '--wait', '--timeout', '120s']);
        outputs.push(s);
        assert.ok(json<{ services: { service: string }[] }>(s).services.some((x) => x.service === 'ui-proxy'));
        await assertAllHealthy(run);
      },
    );

    step('nginx holds a bcrypt hash of the password, and the password is in no output and not in the state', async () => {
      const proxyId = containerName(run.config, 'ui-proxy');
      const r = await execIn(run.docker, proxyId, ['cat', HTPASSWD_PATH]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout.trim(), new RegExp(`^${USER}:\\$2[by]\\$0?${BCRYPT_COST}\\$[./A-Za-z0-9]{53}$`));
      for (const o of outputs) assert.ok(!`${o.stdout}${o.stderr}`.includes(PASSWORD), 'the password is in the output');
      const state = readFileSync(userStateFile(run.workdir, run.config), 'utf8');
      assert.ok(!state.includes(PASSWORD), 'the password is in the Terraform state');
    }, [STARTED]);

    step('a second start keeps the proxy: the deployed hash still matches, so nothing is replaced', async () => {
      const id = async () => (await run.docker.getContainer(containerName(run.config, 'ui-proxy')).inspect()).Id;
      const before = await id();
      const r = await run.ctl(['start', '--timeout', '120s']);
      outputs.push(r);
      assert.equal(r.code, 0, tail(r));
      assert.match(r.stdout + r.stderr, /already running as configured/);
      assert.equal(await id(), before, 'the proxy was replaced');
      assert.ok(!`${r.stdout}${r.stderr}`.includes(PASSWORD), 'the password is in the output');
    }, [STARTED]);

    const WORKFLOW = step("a workflow started with Temporal's CLI is listed", async () => {
      const cli = (args: string[]) => temporalCli(loadTestEnv() as TestEnv, client, args);
      const r = await cli([
        'workflow',
        'start',
        '--type',
        'UiAuthCheck',
        '--task-queue',
        'ui-auth',
        '--workflow-id',
        WORKFLOW_ID,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const list = await cli(['workflow', 'list', '--query', `WorkflowId="${WORKFLOW_ID}"`, '-o', 'json']);
        if (list.stdout.includes(WORKFLOW_ID)) break;
        assert.ok(Date.now() < deadline, `the workflow is not listed: ${list.stderr}`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }, [STARTED]);

    step(
      'without credentials every path answers 401 with nothing of the UI in the body (and what the gate costs with them)',
      async (t) => {
        for (const path of [
          '/',
          '/namespaces/default/workflows',
          '/api/v1/namespaces',
          '/api/v1/settings',
          '/healthz',
          '/_app/version.json',
        ]) {
          const res = await fetch(`${ui}${path}`);
          const body = await res.text();
          assert.equal(res.status, 401, `${path}: HTTP ${res.status}`);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="Temporal Web UI"/, path);
          assert.doesNotMatch(body, UI_MARKERS, `${path}: ${body.slice(0, 200)}`);
        }
        // What the gate costs per request: bcrypt checked by nginx on every one (BCRYPT_COST).
        const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
        const started = performance.now();
        for (let i = 0; i < 20; i++) assert.equal((await fetch(`${ui}/healthz`, { headers: auth })).status, 200);
        t.diagnostic(
          `an authenticated GET /healthz through the proxy: ${((performance.now() - started) / 20).toFixed(1)} ms on average (20)`,
        );
        const wrong = await fetch(`${ui}/`, {
          headers: { authorization: `Basic ${Buffer.from(`${USER}:not-it`).toString('base64')}` },
        });
        assert.equal(wrong.status, 401, 'a wrong password is let in');
      },
      [STARTED],
    );

    step(
      'in headless Chromium: refused without credentials, the workflow list with its row with them',
      async (t) => {
        const { launch } = await import('puppeteer-core');
        const browser = await launch({
          executablePath: CHROMIUM,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu'],
        });
        try {
          const anonymous = await browser.newPage();
          const answers: [string, number][] = [];
          anonymous.on('response', (r) => answers.push([r.url(), r.status()]));
          // The response event can come after the navigation settles on a loaded machine: wait for it.
          const firstAnswer = anonymous.waitForResponse((r) => r.url().startsWith(ui), { timeout: 15_000 });
          // Headless Chromium has no one to ask for credentials: it cancels the challenge, and the
          // navigation fails (net::ERR_INVALID_AUTH_CREDENTIALS) after the 401.
          const refused = await anonymous.goto(`${ui}/namespaces/default/workflows`, { waitUntil: 'load' }).then(
            (r) => `HTTP ${r?.status()}`,
            (e: Error) => e.message,
          );
          assert.match(refused, /ERR_INVALID_AUTH_CREDENTIALS|HTTP 401/);
          assert.equal((await firstAnswer).status(), 401);
          assert.deepEqual(
            answers.filter(([, status]) => status !== 401),
            [],
            'something was served without credentials',
          );
          // What the browser rendered, scripts included (UI_MARKERS catches any <script).
          const html = await anonymous.content();
          assert.doesNotMatch(html, UI_MARKERS, html.slice(0, 300));
          t.diagnostic(
            `without credentials: ${refused}; answers ${answers.map(([u, s]) => `${s} ${new URL(u).pathname}`).join(', ')}`,
          );
          await anonymous.close();

          const page = await browser.newPage();
          await page.authenticate({ username: USER, password: PASSWORD });
          let requests = 0;
          page.on('request', () => requests++);
          const started = performance.now();
          const res = await page.goto(`${ui}/namespaces/default/workflows`, { waitUntil: 'domcontentloaded' });
          assert.equal(res?.status(), 200);
          const row = await page.waitForSelector(
            `[data-testid="workflows-summary-configurable-table-row"] ::-p-text(${WORKFLOW_ID})`,
            { timeout: 60_000 },
          );
          assert.ok(row, 'no row of the workflow');
          t.diagnostic(
            `workflow list with its row rendered in ${Math.round(performance.now() - started)} ms (${requests} requests, each checked by nginx)`,
          );
        } finally {
          await browser.close();
        }
      },
      [WORKFLOW],
    );
  },
);
