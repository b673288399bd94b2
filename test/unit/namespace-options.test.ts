import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { namespaceNameProblem, namespaceRefProblem } from '../../src/config/namespace-name.js';
import { collectData, parseNewName, parseRetention } from '../../src/commands/namespace-options.js';

const DAY = 86_400_000;

describe('--retention parser', () => {
  for (const [text, ms] of [
    ['72h', 3 * DAY],
    ['7d', 7 * DAY],
    ['30d', 30 * DAY],
    ['1d', DAY],
    ['24h', DAY],
    ['1d12h', 1.5 * DAY],
  ] as const) {
    it(`accepts ${text} as ${ms} ms`, () => assert.equal(parseRetention(text), ms));
  }
  it('rejects a retention below Temporal’s one-day minimum with InvalidArgumentError', () => {
    assert.throws(
      () => parseRetention('23h'),
      (e: unknown) =>
        e instanceof InvalidArgumentError && /shorter than Temporal's minimum retention of 1d/.test(e.message),
    );
  });
  for (const text of ['7', 'seven days', '7x', '', '-1d']) {
    it(`rejects "${text}" as not a duration`, () => {
      assert.throws(
        () => parseRetention(text),
        (e: unknown) => e instanceof InvalidArgumentError && /is not a duration/.test(e.message),
      );
    });
  }
  it('rejects fractions of a second', () => assert.throws(() => parseRetention('1d500ms'), /whole number of seconds/));
});

describe('--data parser', () => {
  it('collects repeated KEY=VALUE pairs, keeping later ones and the text after the first =', () => {
    let data = collectData('team=planning');
    data = collectData('limits={"rps":10}', data);
    data = collectData('query=a=b', data);
    data = collectData('team=billing', data);
    assert.deepEqual(data, { team: 'billing', limits: '{"rps":10}', query: 'a=b' });
  });
  it('accepts an empty value', () => assert.deepEqual(collectData('note='), { note: '' }));
  for (const bad of ['team', '=x', '1team=x', 'my key=x']) {
    it(`rejects "${bad}"`, () => assert.throws(() => collectData(bad), InvalidArgumentError));
  }
});

describe('namespace names', () => {
  it('accepts names Temporal users write', () => {
    for (const n of ['default', 'media-planner', 'billing_v2', 'team.payments', '0-start'])
      assert.equal(namespaceNameProblem(n), undefined, n);
  });
  it('rejects empty, too long and unsafe new names with a sentence', () => {
    assert.equal(namespaceNameProblem(''), 'namespace name is empty');
    assert.match(namespaceNameProblem('a'.repeat(256))!, /longer than 255 characters/);
    assert.equal(namespaceNameProblem('a'.repeat(255)), undefined);
    for (const n of ['a b', 'a/b', '-lead', '.lead', 'a:b', 'a,b', 'ünï'])
      assert.match(namespaceNameProblem(n)!, /may only hold letters/, n);
  });
  it('holds names of existing namespaces only to the server’s rules (non-empty, 255 characters)', () => {
    assert.equal(namespaceRefProblem('a b/c'), undefined);
    assert.equal(namespaceRefProblem(''), 'namespace name is empty');
    assert.match(namespaceRefProblem('x'.repeat(256))!, /longer than 255/);
  });
  it('parseNewName throws InvalidArgumentError for a bad name', () =>
    assert.throws(() => parseNewName('bad name'), InvalidArgumentError));
});
