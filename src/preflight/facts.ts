// First-start facts: the keys a cluster cannot change once its data exists (the shard count, the
// databases and the index holding its data, its project), recorded in the state directory at each
// successful start and compared at the next. A changed fact would not fail loudly: the server keeps
// its persisted shard count, and new names start an empty cluster beside the old data.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { dirname, join } from 'node:path';
import { stackName } from '../model/names-and-endpoints.js';
import type { LoadedConfig } from '../project/load.js';
import { projectPaths, stateResources } from '../project/paths.js';
import { PROFILES, type ClusterConfig, type Profile } from '../config/schema.js';
import { DataConflictError } from '../errors.js';
import { compareVersions, serverMinor } from '../config/server-schemas.js';

export interface Facts {
  readonly TEMPORAL_PROJECT: string;
  readonly TEMPORAL_PROFILE: string;
  readonly NUM_HISTORY_SHARDS?: number;
  readonly TEMPORAL_DB?: string;
  readonly TEMPORAL_VISIBILITY?: string;
  /** Recorded while SQL visibility is in use. */
  readonly TEMPORAL_VISIBILITY_DB?: string;
  /** Recorded while Elasticsearch visibility is in use. */
  readonly ELASTICSEARCH_INDEX?: string;
  /** The server release the last start or upgrade left running (a minor change goes through `upgrade`). */
  readonly TEMPORAL_VERSION?: string;
}

const FILE = /^facts\.(.+)\.json$/;
const STATE = /^terraform\.(.+)\.tfstate$/;

/** The stack's facts file, beside its state and applied record (mode 600). */
export const factsFile = (loaded: LoadedConfig): string =>
  join(projectPaths(loaded.config, loaded.projectDir).stateDir, `facts.${stackName(loaded.config)}.json`);

export function readFacts(file: string): Facts | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Facts;
  } catch {
    return undefined; // torn: read back from the cluster, as for a cluster without a record
  }
}

/** The facts the config puts in effect (a visibility store's name only while that store is used). */
export function factsInEffect(c: ClusterConfig): Facts {
  return {
    TEMPORAL_PROJECT: c.TEMPORAL_PROJECT,
    TEMPORAL_PROFILE: c.TEMPORAL_PROFILE,
    NUM_HISTORY_SHARDS: c.NUM_HISTORY_SHARDS,
    TEMPORAL_DB: c.TEMPORAL_DB,
    TEMPORAL_VISIBILITY: c.TEMPORAL_VISIBILITY,
    TEMPORAL_VERSION: c.TEMPORAL_VERSION,
    ...(c.TEMPORAL_VISIBILITY === 'postgres'
      ? { TEMPORAL_VISIBILITY_DB: c.TEMPORAL_VISIBILITY_DB }
      : { ELASTICSEARCH_INDEX: c.ELASTICSEARCH_INDEX }),
  };
}

/** Records the facts after a successful start: the recorded ones, updated with those in effect. */
export function recordFacts(loaded: LoadedConfig): void {
  const file = factsFile(loaded);
  mkdirSync(dirname(file), { recursive: true });
  const facts = { ...readFacts(file), ...factsInEffect(loaded.config), recordedAt: new Date().toISOString() };
  writeFileAtomic.sync(file, `${JSON.stringify(facts, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the facts: the data they describe is gone (`down --volumes`, or a fresh volume). */
export function clearFacts(loaded: LoadedConfig): void {
  rmSync(factsFile(loaded), { force: true });
}

/**
 * Every recorded fact the config contradicts, as one refusal; switching the visibility store is
 * allowed. `version: false` (upgrade, which changes it on purpose) skips the server version.
 */
export function factConflicts(
  c: ClusterConfig,
  facts: Partial<Facts>,
  options: { readonly version?: boolean } = {},
): DataConflictError | undefined {
  const problems: string[] = [];
  const version = options.version === false ? undefined : versionConflict(facts.TEMPORAL_VERSION, c.TEMPORAL_VERSION);
  if (version) problems.push(version);
  const shards = facts.NUM_HISTORY_SHARDS;
  if (shards !== undefined && shards !== c.NUM_HISTORY_SHARDS)
    problems.push(
      `NUM_HISTORY_SHARDS is fixed at ${shards} by the cluster's first start: the server keeps its persisted shard count and only logs a mismatch; set NUM_HISTORY_SHARDS=${shards} again (another count needs a new cluster, with the workflows moved to it)`,
    );
  const renamed = (key: 'TEMPORAL_DB' | 'TEMPORAL_VISIBILITY_DB' | 'ELASTICSEARCH_INDEX', what: string) => {
    const was = facts[key];
    if (was !== undefined && was !== c[key])
      problems.push(
        `${key} changed from ${was} to ${c[key]}: the cluster's ${what} is in ${was}, so this would start an empty cluster on a new ${key === 'ELASTICSEARCH_INDEX' ? 'index' : 'database'}; set ${key}=${was} again, or delete the cluster's data first (\`temporal-ctl down --volumes\`)`,
      );
  };
  renamed('TEMPORAL_DB', 'history');
  const sameStore = facts.TEMPORAL_VISIBILITY === c.TEMPORAL_VISIBILITY;
  if (sameStore && c.TEMPORAL_VISIBILITY === 'postgres') renamed('TEMPORAL_VISIBILITY_DB', 'visibility data');
  if (sameStore && c.TEMPORAL_VISIBILITY === 'elasticsearch') renamed('ELASTICSEARCH_INDEX', 'visibility index');
  if (problems.length === 0) return undefined;
  const onlyVersion = version !== undefined && problems.length === 1;
  return new DataConflictError(problems.join('\n'), {
    hint: onlyVersion
      ? 'nothing was changed (docs/operations.md#upgrading-the-server)'
      : 'these keys are first-start facts (docs/operations.md#first-start-facts); after moving the data yourself, delete the facts file in TEMPORAL_STATE_DIR',
  });
}

/**
 * A TEMPORAL_VERSION that start must not apply over the recorded one: an older release (Temporal
 * has no downgrade) or another minor (the schema goes first, one minor at a time: `upgrade`).
 * A patch release of the same minor is start's to apply.
 */
function versionConflict(recorded: string | undefined, configured: string): string | undefined {
  if (recorded === undefined || recorded === configured) return undefined;
  if (compareVersions(configured, recorded) < 0)
    return `TEMPORAL_VERSION ${configured} is older than the ${recorded} this cluster runs: Temporal does not support downgrades; set TEMPORAL_VERSION=${recorded} again (to go back, restore a backup taken before the upgrade)`;
  if (serverMinor(configured) !== serverMinor(recorded))
    return `TEMPORAL_VERSION changed from ${recorded} to ${configured}, another minor: start does not upgrade the server; run \`temporal-ctl upgrade --to ${configured}\` (backup, schema first, one minor at a time), or set TEMPORAL_VERSION=${recorded} again`;
  return undefined;
}

/** Another project's cluster this state directory holds: its facts, or a non-empty Terraform state. */
export interface OtherProject {
  readonly TEMPORAL_PROJECT: string;
  readonly TEMPORAL_PROFILE: string;
  /** Deployed: its Terraform state holds resources (else only its facts, and maybe its volumes, are left). */
  readonly deployed: boolean;
}

export function otherProjects(loaded: LoadedConfig): OtherProject[] {
  const { stateDir } = projectPaths(loaded.config, loaded.projectDir);
  const own = loaded.config.TEMPORAL_PROJECT;
  const found = new Map<string, OtherProject>();
  for (const name of existsSync(stateDir) ? readdirSync(stateDir) : []) {
    const facts = FILE.exec(name) && readFacts(join(stateDir, name));
    if (facts && facts.TEMPORAL_PROJECT !== own)
      found.set(facts.TEMPORAL_PROJECT, {
        ...pick(facts),
        deployed: found.get(facts.TEMPORAL_PROJECT)?.deployed ?? false,
      });
    const stack = STATE.exec(name)?.[1];
    const scope = stack && splitStack(stack);
    if (scope && scope.TEMPORAL_PROJECT !== own && stateResources(join(stateDir, name)).length > 0)
      found.set(scope.TEMPORAL_PROJECT, { ...scope, deployed: true });
  }
  return [...found.values()];
}

const pick = (f: Facts) => ({ TEMPORAL_PROJECT: f.TEMPORAL_PROJECT, TEMPORAL_PROFILE: f.TEMPORAL_PROFILE });

/** A stack name `<project>-<profile>` split back (profiles are a closed list). */
function splitStack(stack: string): { TEMPORAL_PROJECT: string; TEMPORAL_PROFILE: Profile } | undefined {
  const profile = PROFILES.find((p) => stack.endsWith(`-${p}`));
  return profile && { TEMPORAL_PROJECT: stack.slice(0, -profile.length - 1), TEMPORAL_PROFILE: profile };
}

/** The refusal when the state directory holds another project's cluster (a changed TEMPORAL_PROJECT). */
export function projectConflict(c: ClusterConfig, other: OtherProject): DataConflictError {
  const was = other.TEMPORAL_PROJECT;
  return new DataConflictError(
    `TEMPORAL_PROJECT is ${c.TEMPORAL_PROJECT}, but this state directory holds the cluster of TEMPORAL_PROJECT=${was}${other.deployed ? '' : ' (its data volumes are kept)'}: a new project name starts a second, empty cluster; set TEMPORAL_PROJECT=${was} again`,
    {
      hint: `to run a second cluster, give it its own project directory (or TEMPORAL_STATE_DIR); to replace the old one, remove it first with \`TEMPORAL_PROJECT=${was} temporal-ctl down --volumes\``,
    },
  );
}
