// -o/--output (and its alias --json) is one global option: accepted before or after the
// subcommand, read by every command, and used for failures too. Runs run() in-process.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { StatusDocument } from '../../src/probes/document.js';
import { runCli } from '../support/run-cli.js';

const envFile = join(mkdtempSync(join(tmpdir(), 'tctl-output-')), 'temporal.env');
writeFileSync(envFile, 'TEMPORAL_PROJECT=outputtest\n');
const ENV = { PATH: process.env.PATH, NO_COLOR: '1', TEMPORAL_ENV_FILE: envFile, TEMPORAL_NAMESPACE: 'from-env' };

interface ConfigShow {
  envFile: string;
  keys: { key: string; value: unknown; origin: string }[];
}

describe('config show with -o json, --output=json and --json, anywhere on the line', () => {
  const forms = [
    ['config', 'show', '-o', 'json'],
    ['-o', 'json', 'config', 'show'],
    ['config', '-o', 'json', 'show'],
    ['config', 'show', '--output=json'],
    ['config', 'show', '--json'],
    ['--json', 'config', 'show'],
  ];
  for (const argv of forms) {
    it(`${argv.join(' ')} prints the JSON document`, async () => {
      const r = await runCli(argv, { env: ENV });
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as ConfigShow;
      assert.equal(doc.envFile, envFile);
      assert.deepEqual(
        doc.keys.find((k) => k.key === 'TEMPORAL_PROJECT'),
        { key: 'TEMPORAL_PROJECT', value: 'outputtest', origin: envFile },
      );
      assert.deepEqual(
        doc.keys.find((k) => k.key === 'TEMPORAL_NAMESPACE'),
        { key: 'TEMPORAL_NAMESPACE', value: 'from-env', origin: 'environment' },
      );
    });
  }
  it('prints text by default and with -o text', async () => {
    for (const argv of [
      ['config', 'show'],
      ['config', 'show', '-o', 'text'],
    ]) {
      const r = await runCli(argv, { env: ENV });
      assert.equal(r.code, 0, r.stderr);
      assert.throws(() => JSON.parse(r.stdout));
      assert.match(r.stdout, /^TEMPORAL_PROJECT\s+outputtest\s+\(.*temporal\.env\)$/m);
    }
  });
});

describe('status -o json in-process, with nothing running', () => {
  let env: Record<string, string | undefined>;
  before(async () => {
    // Ports that were free a moment ago: nothing answers there.
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = createServer();
      await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
      ports.push((s.address() as { port: number }).port);
      await new Promise((ok) => s.close(ok));
    }
    env = {
      ...ENV,
      TEMPORAL_VISIBILITY: 'postgres',
      TEMPORAL_GRPC_PORT: String(ports[0]),
      POSTGRES_PORT: String(ports[1]),
      TEMPORAL_UI_PORT: String(ports[2]),
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    };
  });
  for (const argv of [
    ['status', '-o', 'json'],
    ['-o', 'json', 'status'],
    ['status', '--json'],
  ]) {
    it(`${argv.join(' ')} exits 1 with the status document naming every service unhealthy`, async () => {
      const r = await runCli(argv, { env });
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as StatusDocument;
      assert.equal(doc.schemaVersion, 1);
      assert.equal(doc.stack, 'outputtest-development');
      assert.deepEqual(
        doc.services.map((s) => [s.service, s.healthy]),
        [
          ['postgresql', false],
          ['server', false],
          ['ui', false],
        ],
      );
      assert.match(r.stderr, /error: unhealthy: postgresql, server, ui/);
    });
  }
});

describe('failures follow the output format', () => {
  it('a config error with -o json prints {"error": …} on stdout and the message on stderr, exit 2', async () => {
    const r = await runCli(['config', 'show', '-o', 'json'], { env: { ...ENV, TEMPORAL_UI_PORT: '70000' } });
    assert.equal(r.code, 2);
    const { error } = JSON.parse(r.stdout) as {
      error: { kind: string; message: string; hint: string; exitCode: number };
    };
    assert.equal(error.kind, 'ConfigError');
    assert.equal(error.exitCode, 2);
    assert.match(
      error.message,
      /TEMPORAL_UI_PORT: "70000" is not a port; use a whole number from 1 to 65535 \(set in the environment\)/,
    );
    assert.match(r.stderr, /^error: invalid configuration/m);
  });
  it('a usage error after --json was parsed is a JSON error too', async () => {
    const r = await runCli(['--json', 'config', 'show', '--bogus'], { env: ENV });
    assert.equal(r.code, 2);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: {
        kind: 'UsageError',
        message: "unknown option '--bogus'",
        hint: 'run with --help for usage',
        exitCode: 2,
      },
    });
    assert.match(r.stderr, /error: unknown option '--bogus'/);
  });
  it('the same failure without -o json prints no JSON', async () => {
    const r = await runCli(['config', 'show', '--bogus'], { env: ENV });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
  });
  it('rejects an unknown format with the choices, exit 2', async () => {
    const r = await runCli(['status', '-o', 'yaml'], { env: ENV });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /option '-o, --output <format>' argument 'yaml' is invalid\. Allowed choices are text, json\./,
    );
  });
  it('--color always colours the error of a parse failure (read from the parsed options, not argv)', async () => {
    const coloured = await runCli(['--color', 'always', 'config', 'show', '--bogus'], { env: ENV });
    assert.match(coloured.stderr, /\x1b\[31merror: unknown option '--bogus'/);
    const plain = await runCli(['--color', 'never', 'config', 'show', '--bogus'], {
      env: { ...ENV, FORCE_COLOR: '1' },
    });
    assert.doesNotMatch(plain.stderr, /\x1b\[/);
  });
});
