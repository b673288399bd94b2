// Secrets stay secret, scanned for a distinctive password in everything temporal-ctl prints: the real
// CLI's `start -v`, `plan -v`, `status -v` and `config show` on a production cluster of the local
// stand-in images on the test environment's engine (terraform and the provider mirror as the e2e
// uses them), a malformed env file holding the password, a real terraform diagnostic that quotes it,
// and a program's --verbose output that writes it in two pieces. Also the modes of what the deploy
// leaves on disk: the state directory is the owner's alone (files 600, directories 700).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { loadConfig } from '../../src/project/load.js';
import { projectPaths } from '../../src/project/paths.js';
import { concealable, MASK } from '../../src/config/secrets.js';
import { exec } from '../../src/deploy/exec.js';
import { PLAN_FILE, terraformPlan } from '../../src/deploy/terraform-plan.js';
import { dockerOptions } from '../../src/docker/client.js';
import { Output } from '../../src/output.js';
import { cliEnv, spawnCli, tail, type Ran } from '../support/cli.js';
import { requireTestEnv } from '../support/env.js';
import { buildImages, buildProvider, E2E_REGISTRY, providerPin, uiVersion } from '../e2e/provision.js';
import { dockerTestEnv, freePortKeys, removeProjects, SKIP_MESSAGE } from './docker-fixture.js';

const testEnv = await dockerTestEnv();
/** Distinctive, so any occurrence is ours; long enough to be masked. */
const SECRET = `Scan-${randomBytes(6).toString('hex')}-pw`;

/** Text captured from an Output's streams. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}
function maskedOutput() {
  const stdout = new Capture();
  const stderr = new Capture();
  const out = new Output({ stdout, stderr }, 'never', {});
  out.conceal(concealable([SECRET]));
  return { out, text: () => stdout.text + stderr.text };
}

const assertClean = (r: Ran, what: string) => {
  assert.ok(!(r.stdout + r.stderr).includes(SECRET), `${what} printed the password:\n${tail(r, 60)}`);
};

/** Every file and directory under dir with its permission bits (symbolic links skipped). */
function modes(dir: string): [string, number][] {
  const out: [string, number][] = [];
  const walk = (p: string) => {
    const s = lstatSync(p);
    if (s.isSymbolicLink()) return; // terraform's link into the shared provider mirror, not ours
    out.push([p, s.mode & 0o777]);
    if (s.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  return out;
}

describe('secrets in output and on disk (real CLI, terraform, engine)', {
  skip: testEnv ? false : SKIP_MESSAGE,
  concurrency: false,
}, () => {
  let dir: string;
  let envFile: string;
  let env: Record<string, string>;
  const project = `tctl-scan-${randomBytes(3).toString('hex')}`;
  const cli = (args: string[], timeoutMs = 300_000) => spawnCli(['--env-file', envFile, ...args], { env, timeoutMs });
  const paths = () => projectPaths(loadConfig({ envFile, env: {} }).config, dir);

  before(async () => {
    const te = requireTestEnv();
    dir = await mkdtemp(join(tmpdir(), 'tctl-scan-'));
    envFile = join(dir, 'temporal.env');
    const ports = await freePortKeys();
    const lines = {
      TEMPORAL_PROJECT: project,
      TEMPORAL_PROFILE: 'production',
      TEMPORAL_VISIBILITY: 'postgres',
      NUM_HISTORY_SHARDS: '4',
      TEMPORAL_IMAGE_REGISTRY: E2E_REGISTRY,
      POSTGRESQL_VERSION: '15', // the stand-in image is Debian bookworm's PostgreSQL
      TEMPORAL_UI_VERSION: uiVersion(te) ?? '',
      ...providerPin(te),
      ...ports,
    };
    writeFileSync(
      envFile,
      `${Object.entries(lines)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    writeFileSync(join(dir, 'temporal.secrets.env'), `POSTGRES_PASSWORD=${SECRET}\n`, { mode: 0o600 });
    const base = cliEnv({ DOCKER_HOST: testEnv!.host });
    await buildImages(envFile, base);
    env = { ...base, TF_CLI_CONFIG_FILE: await buildProvider(envFile, base), CHECKPOINT_DISABLE: '1' };
  });

  after(async () => {
    if (!dir) return;
    await cli(['down', '--volumes', '--yes']).catch(() => undefined);
    await removeProjects(new Docker(dockerOptions({ DOCKER_HOST: testEnv!.host })), [project]);
    await rm(dir, { recursive: true, force: true });
  });

  it('start -v deploys a production cluster with the password from temporal.secrets.env and never prints it', async () => {
    const r = await cli(['start', '-v', '--yes']);
    assert.equal(r.code, 0, tail(r));
    assert.match(r.stderr, /\$ terraform .* apply -json/, 'terraform ran with --verbose output');
    assertClean(r, 'start -v');
    // It did go through terraform: the synthesized stack and the state hold it (hence their modes).
    const p = paths();
    assert.ok(readFileSync(join(p.stackDir, 'cdk.tf.json'), 'utf8').includes(SECRET));
    assert.ok(readFileSync(p.stateFile, 'utf8').includes(SECRET));
  });

  it('the state, its backup, the synthesized JSON and the records are mode 600, their directories 700', () => {
    const p = paths();
    const all = modes(p.stateDir).filter(([f]) => !f.includes(`${join(p.stackDir, '.terraform')}/`));
    for (const f of [p.stateFile, join(p.stackDir, 'cdk.tf.json')]) {
      assert.equal(statSync(f).mode & 0o777, 0o600, f);
    }
    const records = readdirSync(p.stateDir).filter((f) => /^(applied|facts)\..+\.json$/.test(f));
    assert.equal(records.length, 2, `applied and facts records: ${records}`);
    for (const f of records) assert.equal(statSync(join(p.stateDir, f)).mode & 0o777, 0o600, f);
    const dirs = all.filter(([f]) => statSync(f).isDirectory());
    for (const [f, m] of dirs) assert.equal(m, 0o700, f);
    // terraform writes its provider lock 644 itself (no secret in it); the next synth makes it 600.
    const open = all.filter(([f, m]) => m & 0o077 && !f.endsWith('.terraform.lock.hcl'));
    assert.deepEqual(open, [], 'nothing else in the state directory is readable by others');
  });

  it('plan -v (a second synth and a saved plan): no password printed; the plan file is 600 and nothing is open', async () => {
    const r = await cli(['plan', '-v']);
    assert.equal(r.code, 0, tail(r));
    assertClean(r, 'plan -v');
    const p = paths();
    const planFile = join(p.stackDir, PLAN_FILE);
    assert.ok(existsSync(planFile), 'plan keeps its plan file');
    assert.equal(statSync(planFile).mode & 0o777, 0o600);
    const open = modes(p.stateDir).filter(([, m]) => m & 0o077);
    assert.deepEqual(open, [], 'after a synth, nothing in the state directory is readable by others');
  });

  it('status -v, config show and config show --json print no password', async () => {
    for (const args of [
      ['status', '-v'],
      ['config', 'show'],
      ['config', 'show', '--json'],
    ]) {
      const r = await cli(args);
      assert.ok(r.code === 0 || r.code === 1, tail(r));
      assertClean(r, args.join(' '));
    }
  });

  it('a malformed env line holding the password: exit 2, the line number, not the line', async () => {
    const bad = join(dir, 'malformed');
    await mkdir(bad);
    writeFileSync(join(bad, 'temporal.env'), `TEMPORAL_PROFILE=production\nPOSTGRES_PASSWORD ${SECRET}\n`);
    for (const json of [false, true]) {
      const r = await spawnCli(
        ['--env-file', join(bad, 'temporal.env'), 'config', 'show', ...(json ? ['--json'] : [])],
        {
          env,
        },
      );
      assert.equal(r.code, 2, tail(r));
      assert.match(r.stdout + r.stderr, /line 2: expected KEY=value/);
      assertClean(r, `config show on a malformed file${json ? ' --json' : ''}`);
    }
  });

  it('a real terraform diagnostic that quotes the password reaches the output masked', async () => {
    // terraform quotes the value it cannot convert; the stack never builds such an expression, this
    // directory does, so the diagnostic path is exercised with a real terraform and its real words.
    const tf = join(dir, 'diagnostic');
    await mkdir(tf);
    const expression = ['${tonumber("', SECRET, '")}'].join('');
    writeFileSync(join(tf, 'main.tf.json'), JSON.stringify({ output: { x: { value: expression } } }));
    const { out, text } = maskedOutput();
    const error = await terraformPlan(tf, { env, out, verbose: true }).then(
      () => assert.fail('terraform planned an unconvertible number'),
      (e: Error) => e,
    );
    assert.ok(error.message.includes(SECRET), `the diagnostic quotes the value itself: ${error.message}`);
    out.error(error.message); // as run() reports it
    assert.ok(!text().includes(SECRET), text());
    assert.ok(text().includes(MASK), 'the masked value is shown as the mask');
  });

  it('--verbose output of a program that writes the password in two pieces is masked whole', async () => {
    const { out, text } = maskedOutput();
    const half = SECRET.length >> 1;
    const script = `process.stdout.write(${JSON.stringify(`pw=${SECRET.slice(0, half)}`)}); setTimeout(() => process.stdout.write(${JSON.stringify(`${SECRET.slice(half)}\n`)}), 200);`;
    const r = await exec(process.execPath, ['-e', script], { env: { PATH: process.env.PATH }, out, verbose: true });
    assert.equal(r.exitCode, 0);
    assert.ok(r.stdout.includes(SECRET), 'the program did print it');
    assert.ok(!text().includes(SECRET), text());
    assert.ok(text().includes(`pw=${MASK}`), text());
  });
});
