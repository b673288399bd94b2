// Every command's --help ends with an example invocation (src/commands/help.ts), run in-process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/run.js';
import { runCli } from '../support/run-cli.js';

/** Every command path the CLI registers, the program itself first. */
function commandPaths(): string[][] {
  const program = buildProgram(() => {
    throw new Error('no command runs here');
  });
  const paths: string[][] = [[]];
  const visit = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      paths.push([...path, sub.name()]);
      visit(sub, [...path, sub.name()]);
    }
  };
  visit(program, []);
  return paths;
}

describe('--help', () => {
  for (const path of commandPaths()) {
    it(`temporal-ctl ${path.join(' ')} --help exits 0 and ends with an example`.replace('  ', ' '), async () => {
      const r = await runCli([...path, '--help']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      const block = lines.lastIndexOf(lines.findLast((l) => /^Examples?:$/.test(l)) ?? '<none>');
      assert.ok(block > 0, `no Example block:\n${r.stdout}`);
      const examples = lines.slice(block + 1);
      assert.ok(examples.length > 0, `an Example heading with no example under it:\n${r.stdout}`);
      for (const l of examples) assert.match(l, /^ {2}\$ (temporal-ctl|source <\(temporal-ctl) /);
      assert.match(r.stdout, /Global Options:|^Options:/m);
    });
  }
});
