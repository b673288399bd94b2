#!/usr/bin/env node
// Prints the slowest tests of node:test TAP reports (their own time, suites and tests with subtests
// left out: their time is their children's), with the report, file and name: next to the stage times
// at the end of scripts/test-all, where a run that grew slower shows which test grew.
// Usage: node scripts/lib/tap-slowest.mjs [--top N] REPORT.tap...
import { basename } from 'node:path';
import { readTap } from './tap.mjs';

const args = process.argv.slice(2);
let top = 10;
if (args[0] === '--top') {
  top = Number(args[1]);
  args.splice(0, 2);
}

const leaves = args.flatMap((report) =>
  readTap(report)
    .filter((t) => t.type !== 'suite' && !t.hasSubtests)
    .map((t) => ({ ...t, report: basename(report, '.tap') })),
);
leaves.sort((a, b) => b.durationMs - a.durationMs);
if (leaves.length > 0) console.log(`[test-all] slowest tests (of ${leaves.length})`);
for (const t of leaves.slice(0, top)) {
  const seconds = `${(t.durationMs / 1000).toFixed(1)}s`.padStart(7);
  // The outermost suite is the file's (often a long name): the file stands for it.
  const name = [...(t.file ? t.path.slice(1) : t.path), t.name].join(' > ');
  console.log(`  ${seconds}  ${t.report.padEnd(12)} ${t.file ?? '?'}: ${name.slice(0, 160)}`);
}
