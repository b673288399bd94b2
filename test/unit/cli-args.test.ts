// The shared option-argument parsers (src/cli/args.ts), directly and as users meet them through run().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { countFlag, durationFlag } from '../../src/commands/option-parsers.js';
import { parseRetention } from '../../src/commands/namespace-options.js';
import { runCli } from '../support/run-cli.js';

const rejects = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message));

describe('durationFlag', () => {
  for (const [text, ms] of [
    ['200ms', 200],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
  ] as const) {
    it(`reads ${text} as ${ms} ms`, () => assert.equal(durationFlag(text), ms));
  }
  for (const text of ['soon', '10', '10 m', '', '-5s', '5sec']) {
    it(`rejects "${text}" as not a duration, with examples`, () =>
      rejects(() => durationFlag(text), /is not a duration; use a number with a unit, e\.g\. 500ms, 30s or 10m\./));
  }
  it('rejects a zero duration', () =>
    rejects(() => durationFlag('0s'), /"0s" is zero; use a duration longer than zero/));
  it('--retention shares it with its own examples and adds the one-day minimum', () => {
    rejects(
      () => parseRetention('week'),
      /"week" is not a duration; use a number with a unit, e\.g\. 72h, 7d or 30d\./,
    );
    rejects(() => parseRetention('12h'), /shorter than Temporal's minimum retention of 1d/);
  });
});

describe('countFlag', () => {
  it('reads whole numbers, zero included', () => {
    assert.equal(countFlag('100'), 100);
    assert.equal(countFlag('0'), 0);
  });
  for (const text of ['-1', '1.5', 'ten', '']) {
    it(`rejects "${text}"`, () => rejects(() => countFlag(text), /is not a whole number, e\.g\. 100\./));
  }
});

describe('bad option arguments on the command line', () => {
  // Parsing fails before any action runs: no config is read and nothing is contacted.
  const cases: [string[], RegExp][] = [
    [
      ['status', '--wait', '--timeout', 'soon'],
      /option '--timeout <duration>' argument 'soon' is invalid\. "soon" is not a duration/,
    ],
    [['status', '--interval', '0ms'], /option '--interval <duration>' argument '0ms' is invalid\. "0ms" is zero/],
    [['start', '--timeout', '5 minutes'], /option '--timeout <duration>' argument '5 minutes' is invalid/],
    [['logs', '--since', 'yesterday'], /option '--since <duration>' argument 'yesterday' is invalid/],
    [['logs', '--tail', 'all'], /option '--tail <lines>' argument 'all' is invalid\. "all" is not a whole number/],
    [
      ['namespace', 'create', 'x', '--retention', '2h'],
      /argument '2h' is invalid\. 2h is shorter than Temporal's minimum retention of 1d/,
    ],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} exits 2 and says why`, async () => {
      const r = await runCli(argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }
});
