// Import rules for src/: only src/docker talks to Docker, only the program runner of src/deploy
// starts processes (node:child_process), only src/deploy/synth.ts loads the stack (stacks/), and
// commands reach terraform and the stack only through the lifecycle core. (The direction between
// folders is test/unit/src-layers.test.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importsOf, tsFiles } from '../support/module-imports.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Rule {
  readonly what: string;
  readonly forbidden: RegExp;
  /** Paths (relative to the repository) that may import it. */
  readonly allowedIn: RegExp;
}

const rules: readonly Rule[] = [
  { what: 'dockerode (only src/docker talks to Docker)', forbidden: /^dockerode$/, allowedIn: /^src\/docker\// },
  {
    // exec.ts spawns the one external program, terraform (no shell, its own process group);
    // forward-interrupts.ts takes the ChildProcess exec.ts started, to signal that group. Everything
    // else runs programs through exec(), so none starts without its process group and its interrupt
    // handling. zx, the door this rule named before, is imported by nothing, so no rule keeps it.
    what: 'node:child_process (only src/deploy/exec.ts runs programs)',
    forbidden: /^(node:)?child_process$/,
    allowedIn: /^src\/deploy\/(exec|forward-interrupts)\.ts$/,
  },
  {
    what: 'stacks/ (only src/deploy/synth.ts loads the stack)',
    forbidden: /(^|\/)stacks\//,
    allowedIn: /^src\/deploy\/synth\.ts$/,
  },
  { what: 'cdktf (only synth needs it)', forbidden: /^cdktf$|^@cdktf\//, allowedIn: /^src\/deploy\/synth\.ts$/ },
  {
    what: 'src/deploy from commands (they go through src/lifecycle)',
    forbidden: /\/deploy\//,
    allowedIn: /^src\/(?!commands\/)/,
  },
];

/** `<file> imports <spec>: <rule>` for each import of each module that breaks a rule. */
function ruleBreaches(modules: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of modules) {
    for (const { spec } of importsOf(text)) {
      for (const rule of rules) {
        if (rule.forbidden.test(spec) && !rule.allowedIn.test(path))
          found.push(`${path} imports ${spec}: ${rule.what}`);
      }
    }
  }
  return found;
}

test('src/ follows the import rules: Docker, external programs and the stack each have one door', () => {
  const files = tsFiles(join(ROOT, 'src'));
  assert.ok(files.length > 40, 'found the sources');
  const modules = files.map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
  assert.deepEqual(ruleBreaches(modules), []);
});

test('each rule fires on a synthetic offending import, static, type-only or dynamic', () => {
  const offenders = [
    { path: 'src/probes/fake.ts', text: "import Docker from 'dockerode';\n" },
    { path: 'src/lifecycle/fake.ts', text: "import { spawn } from 'node:child_process';\n" },
    { path: 'src/backup/fake.ts', text: "import type { ChildProcess } from 'child_process';\n" },
    { path: 'src/lifecycle/fake2.ts', text: "const { App } = await import('../../stacks/main.js');\n" },
    { path: 'src/model/fake.ts', text: "export { App } from 'cdktf';\n" },
    { path: 'src/commands/fake.ts', text: "import { terraformApply } from '../deploy/apply.js';\n" },
  ];
  assert.deepEqual(ruleBreaches(offenders), [
    'src/probes/fake.ts imports dockerode: dockerode (only src/docker talks to Docker)',
    'src/lifecycle/fake.ts imports node:child_process: node:child_process (only src/deploy/exec.ts runs programs)',
    'src/backup/fake.ts imports child_process: node:child_process (only src/deploy/exec.ts runs programs)',
    'src/lifecycle/fake2.ts imports ../../stacks/main.js: stacks/ (only src/deploy/synth.ts loads the stack)',
    'src/model/fake.ts imports cdktf: cdktf (only synth needs it)',
    'src/commands/fake.ts imports ../deploy/apply.js: src/deploy from commands (they go through src/lifecycle)',
  ]);
  // The doors themselves pass.
  assert.deepEqual(
    ruleBreaches([
      { path: 'src/deploy/exec.ts', text: "import { spawn } from 'node:child_process';\n" },
      { path: 'src/docker/client.ts', text: "import Docker from 'dockerode';\n" },
    ]),
    [],
  );
});

test('the import rules see dynamic imports too (the rule would catch a regression)', () => {
  const synth = importsOf(readFileSync(join(ROOT, 'src/deploy/synth.ts'), 'utf8')).map((i) => i.spec);
  assert.ok(synth.includes('cdktf') && synth.some((s) => s.includes('stacks/')), synth.join(', '));
});
