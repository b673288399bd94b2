// docs/commands/ is generated from the command table: a page that differs from what the generator
// writes, a page without a command, or a command without a page fails here (regenerate: npm run docs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandPages } from '../../src/cli/command-pages.js';
import { pageName } from '../../src/commands/spec.js';
import { commands } from '../../src/commands/table.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';

const DIR = join(PROJECT_ROOT, 'docs', 'commands');

test('every page in docs/commands is what the command table generates (npm run docs)', () => {
  const pages = commandPages();
  for (const [file, text] of pages) assert.equal(readFileSync(join(DIR, file), 'utf8'), text, `docs/commands/${file}`);
  assert.deepEqual(readdirSync(DIR).sort(), [...pages.keys()].sort());
});

test('every visible command has a page with its synopsis, options and examples', () => {
  const pages = commandPages();
  for (const spec of commands.filter((c) => !c.hidden)) {
    const text = pages.get(pageName(spec.path));
    assert.ok(text, spec.path.join(' '));
    assert.match(text, new RegExp(`^temporal-ctl ${spec.path.join(' ')} \\[options\\]`, 'm'));
    for (const o of spec.options ?? [])
      assert.ok(o.hidden || text.includes(`\`${o.flags}\``), `${o.flags} on ${spec.path}`);
    for (const e of spec.examples) assert.ok(text.includes(e), e);
  }
});
