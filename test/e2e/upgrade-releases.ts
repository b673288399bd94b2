// The releases the upgrade suite runs, from the server table and the default config: the default
// release and the newest patch of the minor before it. Two releases, one of them the test
// environment's own: the chain over more minors and its refusals are unit-tested
// (test/unit/upgrade.test.ts), the schema job's move across a schema change is an integration test
// (test/integration/test-env.test.ts). scripts/test-all's background builds read them here too.
import { compareVersions, SERVER_SCHEMAS, serverMinor } from '../../src/config/server-schemas.js';
import { parseConfig } from '../../src/project/parse.js';

export function upgradeReleases(): { from: string; target: string } {
  const defaults = parseConfig({ env: {} });
  if (!defaults.ok) throw new Error(defaults.errors.join('; '));
  const target = defaults.config.TEMPORAL_VERSION;
  const minors = Object.keys(SERVER_SCHEMAS).sort(compareVersions);
  const before = minors[minors.indexOf(serverMinor(target) ?? '') - 1];
  if (!before) throw new Error(`SERVER_SCHEMAS names no minor before ${target}: no upgrade step to test`);
  return { from: SERVER_SCHEMAS[before]!.newestPatch, target };
}
