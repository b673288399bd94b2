// The releases the upgrade suite runs and plans, from the server table and the default config: the
// default release (where the planned chain ends) and the two minors before it, each at its newest
// patch (the one step run for real). scripts/test-all's background builds read them here too.
import { compareVersions, SERVER_SCHEMAS } from '../../src/config/server-schemas.js';
import { parseConfig } from '../../src/project/parse.js';

export function upgradeReleases(): { from: string; middle: string; target: string } {
  const defaults = parseConfig({ env: {} });
  if (!defaults.ok) throw new Error(defaults.errors.join('; '));
  const minors = Object.keys(SERVER_SCHEMAS).sort(compareVersions);
  const [from, middle] = minors.slice(-3, -1).map((m) => SERVER_SCHEMAS[m]!.newestPatch);
  if (!from || !middle) throw new Error('SERVER_SCHEMAS names fewer than three minors: no upgrade step to test');
  return { from, middle, target: defaults.config.TEMPORAL_VERSION };
}
