// Every command of the table accepts -o json and prints one valid JSON document on stdout, for
// success and for failure, whatever went wrong: run in-process against an engine and a frontend
// that do not exist, so each command fails where it first needs one (or succeeds without them).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CommandSpec } from '../../src/commands/spec.js';
import { commands } from '../../src/commands/table.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tctl-json-'));
const envFile = join(dir, 'temporal.env');
writeFileSync(envFile, 'TEMPORAL_PROJECT=jsontest\n');
const ENV = {
  PATH: process.env.PATH,
  NO_COLOR: '1',
  TEMPORAL_ENV_FILE: envFile,
  TEMPORAL_STATE_DIR: join(dir, 'state'),
  DOCKER_HOST: 'unix:///nonexistent/docker.sock',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  TEMPORAL_VISIBILITY: 'postgres',
};

/** Arguments a command needs to get past the parser. */
const ARGS: Record<string, string[]> = {
  'images save': [join(dir, 'images.tar')],
  'images load': [join(dir, 'missing.tar')],
  restore: [join(dir, 'missing.tctl-backup')],
  completion: ['bash'],
  'namespace create': ['jsontest'],
  'namespace delete': ['jsontest'],
  'config env': ['--service', 'schema'],
};

/** Streams run until Ctrl-C when their source answers; top is covered by test/integration/top.test.ts. */
const runsUntilInterrupted = (c: CommandSpec) => c.path.join(' ') === 'top';

describe('-o json on every command: one JSON document on stdout, success or failure', () => {
  for (const spec of commands.filter((c) => !runsUntilInterrupted(c))) {
    const name = spec.path.join(' ');
    it(`${name} -o json`, { timeout: 60_000 }, async () => {
      const r = await runCli([...spec.path, ...(ARGS[name] ?? []), '-o', 'json'], { env: ENV });
      const lines = r.stdout.trim();
      assert.ok(lines.length > 0, `nothing on stdout (exit ${r.code}): ${r.stderr}`);
      const doc =
        spec.output === 'stream' && r.code === 0 ? lines.split('\n').map((l) => JSON.parse(l)) : JSON.parse(lines);
      if (r.code === 0) assert.ok(!('error' in doc), r.stdout);
      // A failure is the error document; an unhealthy answer (status: exit 1) is the command's own.
      else if ('error' in doc) assert.equal(doc.error.exitCode, r.code, r.stdout);
      else assert.equal(doc.healthy, false, r.stdout);
    });
  }
});
