// `cdktf deploy` end to end: the fourth way of using the project, with cdktf-cli pinned at the cdktf
// dependency's version (installed by scripts/test-env, env.json cli.cdktf). From this checkout's
// cdktf.json, for a project directory elsewhere (TEMPORAL_ENV_FILE, README "cdktf deploy"):
// cdktf deploy -> temporal-ctl status: every service healthy, no TEMPORAL_NAMESPACE yet (exit 1) -> cdktf diff and terraform plan: no
// changes -> cdktf destroy refused by the volumes' prevent_destroy, nothing removed -> temporal-ctl
// start is a no-op on the state cdktf wrote (same containers, same state file) -> down --volumes.
// Its own project name, so it shares the engine with cluster.test.ts (run one after the other).
// Test-only plumbing, which users with the registry do not need: TF_CLI_CONFIG_FILE points terraform
// at the provider mirror, and --skip-provider-lock stops cdktf asking the registry for checksums.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe } from 'node:test';
import { containerName, stackName } from '../../src/model/names-and-endpoints.js';
import { enabledServices, volumes } from '../../src/model/service-facts.js';
import { type ServiceName } from '../../src/model/services.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { json, spawnCli, tail, type Ran } from '../support/cli.js';
import { isCI, loadTestEnv } from '../support/env.js';
import { engineState, stateResources, userStateFile } from './engine.js';
import { e2eSuite, missingComponent, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy, assertDownRemovesAll, assertHealthyWithoutNamespace } from './healthy.js';
import { E2E_PROJECT } from './provision.js';

const run$ = promisify(execFile);
const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const PROJECT = `${E2E_PROJECT}-cdktf`;

/** The pinned cdktf-cli, or why this suite cannot run (a failure under CI=true). */
function cdktfCli(): { bin: string } | { missing: string } {
  const problem = missingComponent();
  if (problem) return { missing: problem };
  const bin = loadTestEnv()?.cli.cdktf;
  if (bin) return { bin };
  const missing = 'no cdktf-cli in the test environment: run `bash scripts/test-env up`';
  if (isCI()) throw new Error(`e2e: ${missing}`);
  return { missing };
}

/** What proves that nothing was recreated or restarted: each container's id, start time and restarts. */
interface Incarnation {
  id: string;
  startedAt: string;
  restartCount: number;
}

const cli = cdktfCli();

describe(
  "cdktf deploy of this repository's stack, sharing one state with temporal-ctl",
  suiteOptions('missing' in cli ? cli.missing : false),
  () => {
    const suite = e2eSuite();
    const { step } = suite.steps;
    let run: E2eRun;
    const c = () => run.config;
    const services = () => enabledServices(c());
    const outdir = () => join(run.tmp, 'cdktf.out');
    /** Where cdktf synthesized the stack and ran terraform. */
    const stackDir = () => join(outdir(), 'stacks', stackName(c()));
    const stateFile = () => userStateFile(run.workdir, c());

    /** cdktf from the checkout (its cdktf.json), for the project whose temporal.env is in the run's working directory. */
    const cdktf = (args: string[], timeoutMs = 600_000): Promise<Ran> =>
      spawnCli([...args, '--skip-provider-lock', '--no-color', '--output', outdir()], {
        bin: (cli as { bin: string }).bin,
        cwd: PROJECT_ROOT,
        env: { ...run.env, TEMPORAL_ENV_FILE: run.envFile, CHECKPOINT_DISABLE: '1', CI: 'true' },
        timeoutMs,
      });

    /** terraform in the directory cdktf ran it in; resolves with the exit code and output (never throws). */
    async function terraform(args: string[]): Promise<{ code: number; output: string }> {
      try {
        const r = await run$('terraform', [`-chdir=${stackDir()}`, ...args], { env: run.env, maxBuffer: 64 << 20 });
        return { code: 0, output: r.stdout + r.stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    }

    async function incarnations(): Promise<Record<string, Incarnation>> {
      const s = await engineState(run.docker, c().TEMPORAL_PROJECT);
      const entries = await Promise.all(
        s.containers.map(async (x) => {
          const info = await run.docker.getContainer(x.name).inspect();
          return [x.name, { id: info.Id, startedAt: info.State.StartedAt, restartCount: info.RestartCount }] as const;
        }),
      );
      return Object.fromEntries(entries);
    }

    const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

    const PROVISION = step(
      'provisions: the stand-in images, the provider mirror, the CLI under test, a project of its own',
      async (t) => {
        run = await suite.start({ project: PROJECT });
        for (const note of run.notes) t.diagnostic(note);
        assert.equal(c().TEMPORAL_PROJECT, PROJECT);
      },
    );

    const DEPLOY = step(
      "cdktf deploy --auto-approve creates the stack (exit 0) into the project's own state file",
      async (t) => {
        const r = await cdktf(['deploy', '--auto-approve']);
        t.diagnostic(`cdktf deploy took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r, 40));
        const resources = stateResources(stateFile());
        assert.ok(resources, `cdktf wrote no state at ${stateFile()}, where temporal-ctl keeps it`);
        const names = resources
          .filter((x) => x.type === 'docker_container')
          .flatMap((x) => x.instances.map((i) => String(i.attributes.name)));
        assert.deepEqual(sorted(names), sorted(services().map((s) => containerName(c(), s))));
        // terraform ran the provider release the config pins (the test environment's, 4.6.0), under its own name.
        const selected = await terraform(['version', '-json']);
        assert.equal(selected.code, 0, selected.output);
        assert.deepEqual(JSON.parse(selected.output).provider_selections, {
          'registry.terraform.io/kreuzwerker/docker': c().TEMPORAL_DOCKER_PROVIDER_VERSION,
        });
        assert.equal(c().TEMPORAL_DOCKER_PROVIDER_VERSION, loadTestEnv()!.terraform.dockerProvider);
      },
      [PROVISION],
    );

    step(
      'temporal-ctl status --json reports every enabled service healthy, from its container, and exits 1: cdktf made no TEMPORAL_NAMESPACE',
      () => assertHealthyWithoutNamespace(run),
      [DEPLOY],
    );

    step(
      'right after the deploy, cdktf diff shows no changes and terraform plan -detailed-exitcode exits 0',
      async (t) => {
        const r = await cdktf(['diff']);
        t.diagnostic(`cdktf diff took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r, 40));
        assert.match(r.stdout, /No changes\. Your infrastructure matches the configuration\./, tail(r, 40));
        assert.doesNotMatch(r.stdout, /Plan: \d+ to add/, tail(r, 40));
        // cdktf diff exits 0 whether or not there are changes; terraform's detailed exit code tells (2 = changes).
        const plan = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false']);
        assert.equal(plan.code, 0, plan.output.split('\n').slice(-40).join('\n'));
      },
      [DEPLOY],
    );

    step("cdktf destroy --auto-approve is refused by the volumes' prevent_destroy, and nothing is removed", async () => {
      const before = await engineState(run.docker, c().TEMPORAL_PROJECT);
      const containersBefore = await incarnations();
      const r = await cdktf(['destroy', '--auto-approve']);
      assert.notEqual(r.code, 0, tail(r, 40));
      assert.match(r.stdout + r.stderr, /Invoking Terraform CLI failed with exit code 1/, tail(r, 40));
      const after = await engineState(run.docker, c().TEMPORAL_PROJECT);
      assert.deepEqual(after, before, 'the engine changed');
      assert.deepEqual(await incarnations(), containersBefore, 'a container was recreated or restarted');
      assert.ok(before.volumes.length > 0, 'no data volume to protect');
      // cdktf 0.21 loses terraform's last output lines (its pty closes first), so terraform's own words
      // on why come from the same destroy plan, run in the directory cdktf ran it in.
      const plan = await terraform(['plan', '-destroy', '-input=false', '-no-color', '-lock=false']);
      assert.equal(plan.code, 1, plan.output);
      assert.match(plan.output, /Error: Instance cannot be destroyed/);
      for (const { resourceId } of volumes(c()))
        assert.match(
          plan.output,
          new RegExp(`Resource docker_volume\\.${resourceId} has lifecycle\\.prevent_destroy set`),
        );
    }, [DEPLOY]);

    step(
      'temporal-ctl start afterwards is a no-op: already running, same containers and start times, state file unchanged',
      async (t) => {
        const before = await incarnations();
        const state = digest(stateFile());
        const r = await run.ctl(['start', '-o', 'json']);
        t.diagnostic(`start took ${r.ms} ms`);
        assert.equal(r.code, 0, tail(r));
        const doc = json<{ events: { type: string; stack?: string; result?: { name: string } }[] }>(r);
        // cdktf made no namespace: start's fast path makes the declared ones, and touches no container.
        assert.deepEqual(
          doc.events.map((e) => e.type).filter((type) => !type.startsWith('namespace-')),
          ['already-running', 'ready'],
        );
        const ensured = doc.events.filter((e) => e.type === 'namespace-ensured').map((e) => e.result?.name);
        assert.ok(ensured.includes(c().TEMPORAL_NAMESPACE), `namespaces ensured: ${ensured.join(', ')}`);
        assert.equal(doc.events[0]!.stack, stackName(c()));
        assert.deepEqual(await incarnations(), before);
        assert.equal(digest(stateFile()), state, 'the state file changed');
        assert.deepEqual(
          sorted(Object.keys(before)),
          sorted(services().map((s: ServiceName) => containerName(c(), s))),
        );
        await assertAllHealthy(run); // now with TEMPORAL_NAMESPACE usable
      },
      [DEPLOY],
    );

    step(
      'down --volumes --yes removes what cdktf deployed: no container, network or volume left, an empty state',
      () => assertDownRemovesAll(run),
      [DEPLOY],
    );
  },
);
