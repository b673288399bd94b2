import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envListMap } from '../../src/docker/env-list.js';

test('envListMap splits at the first "=", keeps "=" in values, and reads a bare name as empty', () => {
  const m = envListMap(['A=1', 'DSN=host=db user=x', 'EMPTY=', 'BARE']);
  assert.deepEqual(
    [...m],
    [
      ['A', '1'],
      ['DSN', 'host=db user=x'],
      ['EMPTY', ''],
      ['BARE', ''],
    ],
  );
});
