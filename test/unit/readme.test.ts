import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { withReference } from '../../src/config/reference.js';

test('README configuration reference matches the schema (regenerate: npm run docs)', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, withReference(readme));
});

test('README documents every command the CLI registers', async () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const { Command } = await import('commander');
  const { registerCommands } = await import('../../src/commands/index.js');
  const program = new Command('temporal-ctl');
  registerCommands(program, {} as never);
  for (const command of program.commands) {
    const subs =
      command.commands.length > 0 ? command.commands.map((c) => `${command.name()} ${c.name()}`) : [command.name()];
    for (const name of subs) assert.match(readme, new RegExp(`\`${name}[\` \\[<]`), `README lacks ${name}`);
  }
});
