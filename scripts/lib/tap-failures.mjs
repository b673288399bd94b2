#!/usr/bin/env node
// Prints each failed test of node:test TAP reports with the first lines of its error, so the end of
// a CI log (often all that is kept of it) says why a test failed, not only which. Suites that failed
// because a subtest did, and steps skipped after a failed one, are left out: the leaf says it all.
// Usage: node scripts/lib/tap-failures.mjs REPORT.tap...
import { readTap } from './tap.mjs';

// The head names the failure; the end of a CLI run's output (tail() in the tests) holds its cause.
const HEAD_LINES = 2;
const END_LINES = 10;
const MAX_WIDTH = 200;

for (const report of process.argv.slice(2)) {
  for (const t of readTap(report)) {
    if (t.ok) continue;
    if (/failureType: '(subtestsFailed|cancelledByParent)'/.test(t.block.join('\n'))) continue;
    console.log(`[test-all] FAILED ${t.name}${t.file ? ` (${t.file})` : ''}`);
    for (const line of shortened(errorLines(t.block))) console.log(`    ${line.slice(0, MAX_WIDTH)}`);
  }
}

/** The first and last lines of an error, with a mark where lines were left out. */
function shortened(lines) {
  if (lines.length <= HEAD_LINES + END_LINES) return lines;
  return [...lines.slice(0, HEAD_LINES), `… ${lines.length - HEAD_LINES - END_LINES} lines …`, ...lines.slice(-END_LINES)];
}

/** The error field: a one-line quoted string, or a `|-` block indented under it. */
function errorLines(block) {
  const at = block.findIndex((l) => /^\s*error: /.test(l));
  if (at < 0) return [];
  const first = block[at].replace(/^\s*error: /, '');
  if (first !== '|-') return [first.replace(/^'|'$/g, '')];
  const depth = block[at].search(/\S/);
  const out = [];
  for (const line of block.slice(at + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= depth) break;
    if (line.trim() !== '') out.push(line.trim());
  }
  return out;
}
