// Reads node:test TAP reports (the ones scripts/test-all keeps in .test-env/reports) into one record
// per test, for the closing lines of a run: tap-failures.mjs (why each failed test failed) and
// tap-slowest.mjs (where the time went). The reports come from tap-reporter.mjs, which adds a
// `# file: PATH` comment before each result line (node's own TAP names a test's file only on failure).
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} TapTest
 * @property {string} name      the test's own name
 * @property {string[]} path    the names of the suites around it, outermost first
 * @property {string | undefined} file  the test file, relative to the run's directory: where node saw
 *   the test declared, or when that is no test file (a helper such as test/support/ordered.ts declares
 *   the e2e steps) the nearest enclosing suite's
 * @property {boolean} ok
 * @property {number} durationMs
 * @property {string | undefined} type  'suite' for describe(), else undefined
 * @property {boolean} hasSubtests
 * @property {string[]} block   the lines of its YAML block (between `---` and `...`)
 */

/** Every test of a TAP report, in report order. @returns {TapTest[]} */
export function readTap(file) {
  return parseTap(readFileSync(file, 'utf8'));
}

/** @returns {TapTest[]} */
export function parseTap(text) {
  const lines = text.split('\n');
  const tests = [];
  // Subtest names by depth: `# Subtest: NAME` opens a level, its result line closes it.
  const open = [];
  let file;
  for (let i = 0; i < lines.length; i++) {
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(lines[i]);
    if (subtest) {
      open.length = subtest[1].length / 4;
      open.push({ name: subtest[2], children: false });
      if (open.length > 1) open[open.length - 2].children = true;
      continue;
    }
    const fileLine = /^\s*# file: (.*)$/.exec(lines[i]);
    if (fileLine) {
      file = fileLine[1];
      continue;
    }
    const result = /^(\s*)(not ok|ok) \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/.exec(lines[i]);
    if (!result) continue;
    const [, indent, status, name] = result;
    const depth = indent.length / 4;
    const block = yamlBlock(lines, i + 1, indent);
    const duration = block.map((l) => /^\s*duration_ms: ([\d.]+)/.exec(l)).find(Boolean);
    const type = block.map((l) => /^\s*type: '(\w+)'/.exec(l)).find(Boolean);
    tests.push({
      depth,
      name,
      path: open.slice(0, depth).map((o) => o.name),
      file,
      ok: status === 'ok',
      durationMs: duration ? Number(duration[1]) : 0,
      type: type?.[1],
      hasSubtests: open[depth]?.children ?? false,
      block,
    });
    open.length = depth;
    file = undefined;
  }
  // A result line follows its subtests' lines: going backwards, the last entry seen one level up is
  // the parent.
  const above = [];
  for (let i = tests.length - 1; i >= 0; i--) {
    const t = tests[i];
    const parent = above[t.depth - 1];
    if (!isTestFile(t.file) && parent?.file) t.file = parent.file;
    above[t.depth] = t;
    above.length = t.depth + 1;
  }
  return tests;
}

const isTestFile = (file) => file !== undefined && /\.test\.[cm]?js$/.test(file);

/** The lines of the `---` … `...` block that follows a test line. */
function yamlBlock(lines, from, indent) {
  if (lines[from]?.trim() !== '---') return [];
  const end = lines.indexOf(`${indent}  ...`, from);
  return lines.slice(from + 1, end < 0 ? undefined : end);
}
