// Every duration has a maximum: a wait (a timeout, an interval) at most a day, since Node's timers
// hold at most 24.8 days and fire at once beyond, which made every call time out immediately; a look
// back (logs --since) and a retention at most ten years.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { runCli } from '../support/run-cli.js';

const env = { PATH: process.env.PATH, NO_COLOR: '1', TEMPORAL_ENV_FILE: '/dev/null' };

describe('duration maxima', () => {
  it('a wait longer than a day is a usage error (exit 2) naming the maximum, as a flag or a key', async () => {
    const flag = await runCli(['status', '--timeout', '30d'], { env });
    assert.equal(flag.code, 2, flag.stderr);
    assert.match(flag.stderr, /"30d" is longer than the maximum of 1d/);
    const key = parseConfig({ env: { TEMPORAL_DOCKER_TIMEOUT: '30d', TEMPORAL_PROBE_TIMEOUT: '25d' } });
    assert.equal(key.ok, false);
    const errors = key.ok ? [] : key.errors;
    assert.ok(
      errors.some((e) => e.startsWith('TEMPORAL_DOCKER_TIMEOUT: 30d is longer than the maximum of 1d')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.startsWith('TEMPORAL_PROBE_TIMEOUT: 25d is longer')),
      errors.join('\n'),
    );
  });

  it('a retention or a look back may be long; ten years is the limit', async () => {
    assert.equal(parseConfig({ env: { TEMPORAL_NAMESPACE_RETENTION: '400d', TEMPORAL_NAMESPACES: 'a:90d' } }).ok, true);
    const tooLong = parseConfig({ env: { TEMPORAL_NAMESPACE_RETENTION: '4000d' } });
    assert.equal(tooLong.ok, false);
    const since = await runCli(['logs', '--since', '20000d'], { env });
    assert.equal(since.code, 2, since.stderr);
    assert.match(since.stderr, /longer than the maximum of 3650d/);
  });
});
