import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { withReference } from '../../src/config/reference.js';

test('docs/configuration.md reference matches the schema (regenerate: npm run docs)', () => {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');
  assert.equal(page, withReference(page));
});
