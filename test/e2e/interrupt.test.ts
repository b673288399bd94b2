// Ctrl-C during `start`, end to end on the real engine with real terraform and the real
// kreuzwerker/docker provider: a first SIGINT mid-apply lets terraform stop after its step and save
// its state (start exits 130 and says what is done; the provider gives up a container it was still
// creating, which may stay outside the state), the next start removes that and continues; a second SIGINT kills
// terraform, which leaves a container outside its state, and the next start removes it and
// succeeds; --timeout stops terraform the same way as the first Ctrl-C; a SIGINT during the wait for
// health ends start at once and says the containers keep running; a SIGINT during down's terraform
// destroy leaves the volumes and the next down completes. The signal goes to the CLI's process only (its own process group here), as `kill -INT`
// would send it; a terminal's Ctrl-C reaches the same process, terraform runs in a group of its own.
// Its own project name (postgres visibility, for speed), so it shares the engine with the other suites.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, type TestContext } from 'node:test';
import { containerName } from '../../src/model/names-and-endpoints.js';
import { containerAddress, serviceDecl } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { spawnCli, tail, type Ran } from '../support/cli.js';
import { engineState, stateResources, userStateFile } from './engine.js';
import { e2eSuite, suiteOptions, type E2eRun } from './fixture.js';
import { assertAllHealthy, assertDownRemovesAll } from './healthy.js';
import { E2E_PROJECT } from './provision.js';

const PROJECT = `${E2E_PROJECT}-sigint`;
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Ctrl-C during start and down: terraform saves its state, the next command continues', suiteOptions(), () => {
  const suite = e2eSuite();
  const { step } = suite.steps;
  let run: E2eRun;

  /**
   * `start` in text mode; once `ready()` holds (polled), SIGINT is sent to the CLI, and with `again`
   * SIGTERM as soon as it says it forwarded the first, as a user pressing Ctrl-C twice (terraform
   * stops within a second otherwise).
   */
  const interruptedStart = (ready: (stderr: string) => Promise<boolean>, again = false): Promise<Ran> =>
    interrupted(['start', '--timeout', '300s'], ready, again);

  /** When the first signal was sent (performance.now()), to measure how soon the CLI ended after it. */
  let firedAt = 0;

  /** Runs a command in text mode and interrupts it as interruptedStart does. */
  const interrupted = (args: string[], ready: (stderr: string) => Promise<boolean>, again = false): Promise<Ran> => {
    const onChild = (child: ChildProcess) => {
      let seen = '';
      let fired = false;
      child.stderr?.on('data', (d: Buffer) => {
        seen += d.toString('utf8');
        // The second signal once the CLI forwarded the first: another one, as two SIGINTs may merge.
        if (again && fired && /SIGINT received: terraform finishes/.test(seen)) {
          again = false;
          child.kill('SIGTERM');
        }
      });
      const poll = setInterval(async () => {
        if (fired || child.exitCode !== null || child.signalCode !== null) return clearInterval(poll);
        // A poll that fails (the engine busy) is a poll that is not ready yet, never an unhandled rejection.
        if (!(await ready(seen).catch(() => false)) || fired) return;
        fired = true;
        clearInterval(poll);
        firedAt = performance.now();
        child.kill('SIGINT');
      }, 100);
      poll.unref();
    };
    return spawnCli(args, {
      bin: run.cli.bin,
      cwd: run.workdir,
      env: run.env,
      timeoutMs: 600_000,
      onChild,
    });
  };

  /** The line saying `service`'s container was created (and has passed its healthcheck). */
  const created = (service: ServiceName) => async (stderr: string) =>
    new RegExp(`${literal(containerAddress(serviceDecl(service)))}: create complete`).test(stderr);

  /** `service`'s container exists on the engine: the provider created it and waits for its healthcheck. */
  const onEngine = (service: ServiceName) => async () =>
    (await engineState(run.docker, run.config.TEMPORAL_PROJECT)).containers.some((c) => c.service === service);

  /** Names of the project's containers on the engine that the Terraform state does not hold. */
  const outsideState = async (): Promise<string[]> => {
    const inState = new Set(
      (stateResources(userStateFile(run.workdir, run.config)) ?? [])
        .filter((r) => r.type === 'docker_container')
        .flatMap((r) => r.instances.map((i) => String(i.attributes.name))),
    );
    const { containers } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
    return containers.map((c) => c.name).filter((n) => !inState.has(n));
  };

  const PROVISION = step('provisions: the stand-in images, the provider mirror, the CLI under test', async (t) => {
    run = await suite.start({ project: PROJECT, settings: { TEMPORAL_VISIBILITY: 'postgres' } });
    assert.equal(run.config.TEMPORAL_VISIBILITY, 'postgres');
    for (const note of run.notes) t.diagnostic(note);
  });

  /** Containers a stopped terraform left outside its state (the provider gives up the one it was creating). */
  let leftByFirst: string[] = [];

  const FIRST = step(
    'a SIGINT once postgresql is created: start exits 130 and says what is done and that the next start continues; at most the container in progress is outside the state',
    async (t: TestContext) => {
      const r = await interruptedStart(created('postgresql'));
      t.diagnostic(`interrupted start took ${r.ms} ms`);
      assert.equal(r.code, 130, tail(r));
      assert.match(r.stderr, /SIGINT received: terraform finishes the step in progress and saves its state/);
      const said =
        /interrupted: terraform stopped after the step in progress and saved its state with \d+ of \d+ changes done \(services postgresql[^;)]*; \d+ other resources\)(?:; (\S+) was cut short and may be left outside the state)?; the next `temporal-ctl start` continues from there/.exec(
          r.stderr,
        );
      assert.ok(said, tail(r));
      const held = (stateResources(userStateFile(run.workdir, run.config)) ?? []).map((x) => `${x.type}.${x.name}`);
      assert.ok(held.includes(containerAddress(serviceDecl('postgresql'))), `state holds: ${held.join(', ')}`);
      leftByFirst = await outsideState();
      t.diagnostic(`outside the state: ${leftByFirst.join(', ') || 'nothing'}; cut short: ${said[1] ?? 'nothing'}`);
      const cut = said[1] as ServiceName | undefined;
      assert.deepEqual(leftByFirst, cut && leftByFirst.length ? [containerName(run.config, cut)] : []);
    },
    [PROVISION],
  );

  const CONTINUED = step(
    'the next start removes what was left, says so, and succeeds; every service is healthy',
    async (t) => {
      const r = await run.ctl(['start', '--timeout', '300s']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      for (const name of leftByFirst)
        assert.match(
          r.stderr,
          new RegExp(`removed [^\\n]*\\b${literal(name)}\\b[^\\n]*left outside the Terraform state`),
        );
      assert.deepEqual(await outsideState(), []);
      await assertAllHealthy(run);
    },
    [FIRST],
  );

  const KILLED = step(
    'after down, a second signal while the server is being created kills terraform with a warning and leaves it outside the state',
    async (t) => {
      // With 1 s healthchecks the server can turn healthy (and be recorded) before the kill lands on a
      // loaded machine: then the kill left nothing to recover from, and the scenario runs again.
      let left: string[] = [];
      for (let attempt = 1; attempt <= 3 && left.length === 0; attempt++) {
        const down = await run.ctl(['down']);
        assert.equal(down.code, 0, tail(down));
        const r = await interruptedStart(onEngine('server'), true);
        t.diagnostic(`attempt ${attempt}: interrupted start took ${r.ms} ms`);
        assert.equal(r.code, 130, tail(r));
        assert.match(r.stderr, /SIGTERM received again: killing terraform/);
        assert.match(r.stderr, /interrupted: terraform was killed with \d+ of \d+ changes done/);
        left = await outsideState();
        t.diagnostic(`attempt ${attempt}: outside the state: ${left.join(', ') || 'nothing'}`);
      }
      assert.ok(left.length > 0, 'the kill left no container outside the state: the next step proves nothing');
    },
    [CONTINUED],
  );

  const RECOVERED = step(
    'the next start removes what the killed terraform left, says so, and succeeds; every service is healthy',
    async (t) => {
      const left = await outsideState();
      const r = await run.ctl(['start', '--timeout', '300s']);
      t.diagnostic(`start took ${r.ms} ms`);
      assert.equal(r.code, 0, tail(r));
      for (const name of left)
        assert.match(
          r.stderr,
          new RegExp(`removed [^\\n]*\\b${literal(name)}\\b[^\\n]*left outside the Terraform state`),
        );
      assert.deepEqual(await outsideState(), []);
      await assertAllHealthy(run);
    },
    [KILLED],
  );

  const TIMED_OUT = step(
    'after down, start --timeout 8s stops terraform when it runs out (exit 1) and names the service it was waiting for',
    async (t) => {
      // The deadline can also fall in the instant between two steps ("with no change in progress", also
      // right): then the scenario runs again with the deadline a second later.
      let waited: RegExpExecArray | null = null;
      for (const seconds of [8, 9, 10]) {
        const down = await run.ctl(['down']);
        assert.equal(down.code, 0, tail(down));
        const r = await run.ctl(['start', '--timeout', `${seconds}s`]);
        t.diagnostic(`start --timeout ${seconds}s took ${r.ms} ms`);
        assert.equal(r.code, 1, tail(r));
        waited = /--timeout ran out during terraform apply, still waiting for (\S+) \(for \d+s, the slowest\)/.exec(
          r.stderr,
        );
        if (waited) break;
        assert.match(r.stderr, /--timeout ran out during terraform apply, with no change in progress/, tail(r));
      }
      assert.ok(waited, 'each deadline fell between two steps');
      // Stopped, not killed: only the container it was waiting for may be left outside the state.
      const left = await outsideState();
      t.diagnostic(`waiting for ${waited[1]}; outside the state: ${left.join(', ') || 'nothing'}`);
      assert.ok(
        left.every((n) => n === containerName(run.config, waited[1] as ServiceName)),
        left.join(', '),
      );
      const again = await run.ctl(['start', '--timeout', '300s']);
      assert.equal(again.code, 0, tail(again));
      await assertAllHealthy(run);
    },
    [RECOVERED],
  );

  const WAIT_INTERRUPTED = step(
    "after stop, a SIGINT during start's wait for health: exit 130 at once, saying the containers keep running; the next start succeeds",
    async (t) => {
      const stop = await run.ctl(['stop']);
      assert.equal(stop.code, 0, tail(stop));
      const started = performance.now();
      const r = await interrupted(['start', '--timeout', '300s'], async (stderr) =>
        /waiting up to \S+ for every service to be healthy/.test(stderr),
      );
      const afterSignal = Math.round(started + r.ms - firedAt);
      t.diagnostic(`interrupted start took ${r.ms} ms, ${afterSignal} ms after the signal`);
      assert.equal(r.code, 130, tail(r));
      assert.match(
        r.stderr,
        /interrupted while waiting for health: the containers keep running; `temporal-ctl status` shows them, `temporal-ctl start` resumes/,
      );
      assert.ok(afterSignal < 5_000, `ended ${afterSignal} ms after the signal`);
      // What it said holds: the long-running containers run, the schema job is done.
      const { containers } = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
      assert.deepEqual(
        containers.filter((c) => c.state !== 'running' && !(c.state === 'exited' && c.exitCode === 0)),
        [],
      );
      const again = await run.ctl(['start', '--timeout', '300s']);
      assert.equal(again.code, 0, tail(again));
      await assertAllHealthy(run);
    },
    [TIMED_OUT],
  );

  const DOWN_INTERRUPTED = step(
    "a SIGINT during down's terraform destroy: exit 130 and a message; the next down completes, no container of the project is left, the volumes are kept",
    async (t) => {
      // The signal goes once destroy has removed a first container; when destroy was done before it
      // landed (a fast engine), the cluster is started again and the scenario runs again.
      let r: Ran | undefined;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const before = (await engineState(run.docker, run.config.TEMPORAL_PROJECT)).containers.length;
        r = await interrupted(
          ['down'],
          async () => (await engineState(run.docker, run.config.TEMPORAL_PROJECT)).containers.length < before,
        );
        t.diagnostic(`attempt ${attempt}: down exited ${r.code} after ${r.ms} ms`);
        if (r.code === 130 && /interrupted during `terraform destroy`/.test(r.stderr)) break;
        const up = await run.ctl(['start', '--timeout', '300s']);
        assert.equal(up.code, 0, tail(up));
      }
      assert.equal(r!.code, 130, tail(r!));
      assert.match(r!.stderr, /SIGINT received: terraform finishes the step in progress and saves its state/);
      assert.match(
        r!.stderr,
        /interrupted during `terraform destroy`: terraform finished the step in progress and saved its state/,
      );
      assert.match(r!.stderr, /the volumes are kept; `temporal-ctl down` again removes the rest/);
      const left = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
      t.diagnostic(`left after the interrupt: ${left.containers.map((c) => c.name).join(', ') || 'no container'}`);
      const down = await run.ctl(['down']);
      assert.equal(down.code, 0, tail(down));
      const after = await engineState(run.docker, run.config.TEMPORAL_PROJECT);
      assert.deepEqual(after.containers, []);
      assert.deepEqual(after.networks, []);
      assert.deepEqual(
        after.volumes.map((v) => v.name),
        left.volumes.map((v) => v.name),
      );
      assert.ok(after.volumes.length > 0, 'no volume was there to keep');
    },
    [WAIT_INTERRUPTED],
  );

  step('down --volumes removes everything of the project', () => assertDownRemovesAll(run), [DOWN_INTERRUPTED]);
});
