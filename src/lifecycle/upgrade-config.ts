// The config of one upgrade step: the keys that carry the server release (the versions, and the
// server and admin-tools images whose tag is that release) moved to the step's release, and which
// of them go into temporal.env so the next start runs the same. Pure: judged before anything runs.
import type { LoadedConfig } from '../project/load.js';
import { defaultReads } from '../config/keys-behind.js';
import { schema, type ClusterConfig, type ConfigKey } from '../config/schema.js';
import { serviceDecl, SERVICES } from '../model/service-facts.js';
import { DataConflictError } from '../errors.js';

/**
 * Keys that follow the server release, read from the schema's defaults: TEMPORAL_VERSION, and every
 * key whose default reads one of them (TEMPORAL_ADMINTOOLS_VERSION, the server and admin-tools
 * images). An image key (a service's `image`) comes with the version key its tag follows; a
 * version key takes the release itself.
 */
const RELEASE_KEYS: readonly (readonly [ConfigKey, ConfigKey | undefined])[] = (() => {
  const images = new Set<ConfigKey>(SERVICES.map((s) => serviceDecl(s).image));
  const release: ConfigKey[] = ['TEMPORAL_VERSION'];
  const follows = new Map<ConfigKey, ConfigKey>();
  // Until no key is added: a default may read a key that itself follows the release.
  for (let added = true; added; ) {
    added = false;
    for (const key of Object.keys(schema) as ConfigKey[]) {
      const reads = release.includes(key) ? undefined : defaultReads(key).find((k) => release.includes(k));
      if (!reads) continue;
      release.push(key);
      follows.set(key, reads);
      added = true;
    }
  }
  return release.map((key) => [key, images.has(key) ? follows.get(key) : undefined] as const);
})();

/** The image keys among them: the services running these images are what an upgrade replaces. */
export const RELEASE_IMAGE_KEYS: readonly ConfigKey[] = RELEASE_KEYS.flatMap(([key, follows]) =>
  follows ? [key] : [],
);

export interface StepConfig {
  /** The config the step applies. */
  readonly config: ClusterConfig;
  /** What temporal.env must say afterwards (keys set there or defaulted; never the environment's). */
  readonly toWrite: Readonly<Record<string, string>>;
}

/** `registry/temporalio/server:1.31.2` -> `registry/temporalio/server` and `1.31.2`. */
function splitTag(ref: string): { name: string; tag?: string } {
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || colon < ref.lastIndexOf('/') || ref.includes('@')) return { name: ref };
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/**
 * The config of the step to `version`, or a refusal (exit 2, nothing changed) when a release key
 * cannot follow: it comes from the environment or a flag, which would override what upgrade
 * records in temporal.env, or it names an image whose tag is not the release.
 */
export function stepConfig(loaded: LoadedConfig, version: string): StepConfig {
  const c = loaded.config;
  const values: Partial<Record<ConfigKey, string>> = {};
  const toWrite: Record<string, string> = {};
  for (const [key, follows] of RELEASE_KEYS) {
    const now = String(c[key]);
    let next: string;
    if (follows === undefined) next = version;
    else {
      const { name, tag } = splitTag(now);
      if (tag !== c[follows])
        throw new DataConflictError(
          `${key}=${now} does not carry the server release as its tag (${follows}=${c[follows]}): upgrade cannot tell which image runs ${version}; nothing was changed`,
          {
            hint: `drop ${key} from temporal.env (TEMPORAL_IMAGE_REGISTRY points at a mirror), or set it to the image of ${version} yourself and run upgrade again`,
          },
        );
      next = `${name}:${version}`;
    }
    values[key] = next;
    const origin = loaded.origins[key];
    if (next === now) continue;
    // The other keys' defaults derive from TEMPORAL_VERSION; its own default is a literal.
    if (origin === 'default' && key !== 'TEMPORAL_VERSION') continue;
    if (origin === 'environment' || origin === 'flag')
      throw new DataConflictError(
        `${key}=${now} comes from the ${origin}, which overrides temporal.env, where upgrade records ${next}; nothing was changed`,
        { hint: `unset ${key} in the ${origin} (upgrade writes it into temporal.env), then run upgrade again` },
      );
    toWrite[key] = next;
  }
  return { config: { ...c, ...values } as ClusterConfig, toWrite };
}
