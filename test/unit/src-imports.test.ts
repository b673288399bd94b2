// Import rules for src/: only src/docker talks to Docker, only src/deploy/exec.ts runs external
// programs (node:child_process; zx, should it come back), only src/deploy/synth.ts loads the stack (stacks/), and commands reach Docker,
// terraform and the stack only through the lifecycle core or src/docker.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier a file loads, statically or with import(); a type-only import loads nothing. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

const rules: { what: string; forbidden: RegExp; allowedIn: RegExp }[] = [
  { what: 'dockerode (only src/docker talks to Docker)', forbidden: /^dockerode$/, allowedIn: /^src\/docker\// },
  {
    what: 'node:child_process (only src/deploy/exec.ts runs programs)',
    forbidden: /^(node:)?child_process$/,
    allowedIn: /^src\/deploy\/exec\.ts$/,
  },
  { what: 'zx (only src/deploy/exec.ts runs programs)', forbidden: /^zx$/, allowedIn: /^src\/deploy\/exec\.ts$/ },
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

test('src/ follows the import rules: Docker, external programs and the stack each have one door', () => {
  const files = tsFiles(join(ROOT, 'src'));
  assert.ok(files.length > 40, 'found the sources');
  const offending: string[] = [];
  for (const file of files) {
    const rel = relative(ROOT, file);
    for (const spec of imports(file)) {
      for (const rule of rules) {
        if (rule.forbidden.test(spec) && !rule.allowedIn.test(rel))
          offending.push(`${rel} imports ${spec}: ${rule.what}`);
      }
    }
  }
  assert.deepEqual(offending, []);
});

test('the import rules see dynamic imports too (the rule would catch a regression)', () => {
  const synth = imports(join(ROOT, 'src/deploy/synth.ts'));
  assert.ok(synth.includes('cdktf') && synth.some((s) => s.includes('stacks/')), synth.join(', '));
});

test('the import rules see the one door to programs, and not a type-only import', () => {
  assert.ok(imports(join(ROOT, 'src/deploy/exec.ts')).includes('node:child_process'));
  // interrupt.ts names the ChildProcess type only: it loads nothing and runs nothing.
  assert.ok(!imports(join(ROOT, 'src/deploy/interrupt.ts')).includes('node:child_process'));
});
