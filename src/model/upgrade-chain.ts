// Which server releases an upgrade goes through. Temporal supports one minor version at a time
// (each minor's schema update assumes the previous minor's schema) and no downgrade, so a request
// is judged here before anything runs: a downgrade and an unknown minor are refused, a skip is
// refused with the chain of steps (each intermediate minor at its newest patch) unless asked to run it.
import { DataConflictError } from '../errors.js';
import { compareVersions, SERVER_SCHEMAS, serverMinor, unknownServerVersion } from '../config/server-schemas.js';

export interface UpgradeChain {
  /** The version the server runs now. */
  readonly from: string;
  /** The requested version. */
  readonly to: string;
  /** Versions to run, in order, one minor apart; the last is `to`. Empty: nothing to do. */
  readonly steps: readonly string[];
}

/** A bare dotted version ("v1.32.2" -> "1.32.2"). */
export const bareVersion = (v: string): string => v.replace(/^v/, '');

/**
 * The steps from the running version to the requested one; throws DataConflictError (exit 2) for
 * a downgrade or a version whose minor temporal-ctl does not know.
 */
export function upgradeChain(running: string, requested: string): UpgradeChain {
  const from = bareVersion(running);
  const to = bareVersion(requested);
  for (const v of [from, to]) {
    const minor = serverMinor(v);
    if (minor === undefined || !SERVER_SCHEMAS[minor])
      throw new DataConflictError(`cannot upgrade: ${unknownServerVersion(v)}; nothing was changed`, {
        hint: 'upgrade between the minors temporal-ctl knows, or use a temporal-ctl release that knows this one',
      });
  }
  if (compareVersions(to, from) < 0)
    throw new DataConflictError(
      `refusing to downgrade the server from ${from} to ${to}: Temporal does not support downgrades (an older server may not read what the newer one wrote); nothing was changed`,
      {
        hint: 'to go back, restore the backup taken before the upgrade (`temporal-ctl restore FILE`) on a cluster started with the older TEMPORAL_VERSION',
      },
    );
  if (compareVersions(to, from) === 0) return { from, to, steps: [] };
  const minors = Object.keys(SERVER_SCHEMAS).sort(compareVersions);
  const first = minors.indexOf(serverMinor(from)!);
  const last = minors.indexOf(serverMinor(to)!);
  const steps = minors.slice(first + 1, last).map((m) => SERVER_SCHEMAS[m]!.newestPatch);
  return { from, to, steps: [...steps, to] };
}

/** The refusal of a chain of more than one step (unless the caller runs them all): names each command. */
export function skipRefusal(chain: UpgradeChain): DataConflictError {
  const commands = chain.steps.map((v) => `temporal-ctl upgrade --to ${v}`).join(', then ');
  return new DataConflictError(
    `refusing to skip a minor version: ${chain.from} to ${chain.to} goes through ${chain.steps.join(' -> ')} (Temporal upgrades one minor at a time, each schema update after the previous); nothing was changed`,
    { hint: `run ${commands}; or \`temporal-ctl upgrade --to ${chain.to} --chain\` runs them one after another` },
  );
}
