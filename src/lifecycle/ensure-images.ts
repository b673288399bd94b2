// Images before terraform: every image the config needs is on the engine before terraform touches
// anything. Missing ones are first asked of their registry (a misspelled tag fails here, in a
// second, with every bad reference at once), then pulled side by side with per-image progress.
// A failure stops start while the running containers still run: terraform never destroyed them.
import type { LoadedConfig } from '../project/load.js';
import { keysBehind } from '../config/keys-behind.js';
import { formatDuration } from '../config/duration.js';
import type { Env } from '../docker/client.js';
import type { Deadline } from '../docker/deadline.js';
import { registryOf } from '../docker/registry-auth.js';
import { OperationError } from '../errors.js';
import { enabledServices, imageFor, requiredImages, serviceDecl } from '../model/service-facts.js';
import type { Emit } from './events.js';

/** How much longer than --timeout the engine may take to answer before it counts as stuck. */
const ENGINE_GRACE_MS = 10_000;

export interface EnsureImagesOptions {
  readonly env: Env;
  /** The bound of the registry checks and the pulls together (start's --timeout). */
  readonly timeoutMs: number;
  /** Said after a failure: what it left unchanged. */
  readonly untouched: string;
}

/** Resolves once every required image is on the engine; emits images-checked and image-pull events. */
export async function ensureImages(loaded: LoadedConfig, options: EnsureImagesOptions, emit: Emit): Promise<void> {
  const config = loaded.config;
  const [{ imagePresence }, { dockerDeadline }, { pullImage, reasonOf, unpullable }] = await Promise.all([
    import('../docker/local-images.js'),
    import('../docker/client.js'),
    import('../docker/pull.js'),
  ]);
  const presence = await imagePresence(requiredImages(config), options.env, dockerDeadline(config));
  const missing = presence.filter((p) => !p.present).map((p) => p.ref);
  emit({ type: 'images-checked', present: presence.filter((p) => p.present).map((p) => p.ref), missing });
  if (missing.length === 0) return;

  const flag = '--timeout'; // start's and images pull's
  // The engine answers once the registry did, which may be slow: the bound is --timeout, not
  // TEMPORAL_DOCKER_TIMEOUT's per-call one. The engine's deadline comes later than our own, whose
  // message names the registry (an engine that never answers at all fails the prerequisites first).
  const deadline: Deadline = { ms: options.timeoutMs + ENGINE_GRACE_MS, key: flag };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const outOfTime = (refs: readonly string[]) =>
    new OperationError(
      `pulling ${refs.join(', ')} did not finish within ${flag} ${formatDuration(options.timeoutMs)}: check that the registry answers from the Docker host (\`docker pull ${refs[0]}\` there), give it a longer ${flag}, or pull the images ahead with \`temporal-ctl images pull --timeout 30m\``,
      { hint: options.untouched },
    );
  const reasons = await unpullable(missing, options.env, deadline, timeout).catch((error: unknown) => {
    throw timeout.aborted ? outOfTime(missing) : error;
  });
  const refused = missing.flatMap((ref, i) => (reasons[i] ? [{ ref, reason: reasons[i] }] : []));
  if (refused.length > 0) throw cannotPull(loaded, refused, options.untouched);

  const stopAll = new AbortController(); // the first failure stops the other pulls
  const signal = AbortSignal.any([timeout, stopAll.signal]);
  const started = performance.now();
  const results = await Promise.allSettled(
    missing.map((ref) =>
      pullImage(ref, options.env, {
        deadline,
        signal,
        onProgress: (progress) => emit({ type: 'image-pull', progress, afterMs: performance.now() - started }),
      }).catch((error: unknown) => {
        stopAll.abort();
        throw error;
      }),
    ),
  );
  if (timeout.aborted) throw outOfTime(missing.filter((_, i) => results[i]!.status === 'rejected'));
  // The engine itself failing (unreachable, stuck past the deadline) says so in its own words.
  const engineDown = results.find((r) => r.status === 'rejected' && r.reason instanceof OperationError);
  if (engineDown) throw (engineDown as PromiseRejectedResult).reason;
  const failed = missing.flatMap((ref, i) => {
    const r = results[i]!;
    return r.status === 'rejected' && !isAbort(r.reason) ? [{ ref, reason: reasonOf(r.reason) }] : [];
  });
  if (failed.length > 0) throw cannotPull(loaded, failed, options.untouched);
}

const isAbort = (error: unknown): boolean => (error as { name?: string } | undefined)?.name === 'AbortError';

/** The image keys of the services that run ref (several services may share one image). */
function imageKeysOf(loaded: LoadedConfig, ref: string) {
  const { config, origins } = loaded;
  const keys = enabledServices(config)
    .filter((s) => imageFor(config, s) === ref)
    .map((s) => serviceDecl(s).image);
  const unique = [...new Set(keys)];
  return { keys: unique, behind: [...new Set(unique.flatMap((k) => keysBehind(config, origins, k)))] };
}

/** What to do about a registry's refusal: a tag or name it lacks, a login it wants, or no registry at all. */
function fixFor(reason: string, ref: string, behind: readonly string[]): string {
  if (/manifest unknown|not found|does not exist|name unknown/i.test(reason)) return `check ${behind.join(' and ')}`;
  const registry = registryOf(ref);
  if (/unauthorized|denied|authentication required|forbidden/i.test(reason))
    return `log in with \`docker login ${registry}\` (read from ~/.docker/config.json; credential helpers are not run)`;
  return `make ${registry} reachable from the Docker host, or set TEMPORAL_IMAGE_REGISTRY to a mirror`;
}

/** One sentence per image: which one, the key that sets it, why the registry refused, and the fix. */
function cannotPull(
  loaded: LoadedConfig,
  failures: readonly { ref: string; reason: string }[],
  untouched: string,
): OperationError {
  const lines = failures.map(({ ref, reason }) => {
    const { keys, behind } = imageKeysOf(loaded, ref);
    const from = behind.join(', ') === keys.join(', ') ? '' : `, from ${behind.join(' and ')}`;
    return `image ${ref} (${keys.join(', ')}${from}) cannot be pulled: ${reason.trim()}; ${fixFor(reason, ref, behind)}`;
  });
  const airGapped =
    'on a host without registry access, load the images with `temporal-ctl images load FILE` instead (a tar from `temporal-ctl images save` on a connected host)';
  const message =
    lines.length === 1
      ? `${lines[0]}; or, ${airGapped}`
      : `${lines.length} images cannot be pulled (each line says what to do; or, ${airGapped}):\n  - ${lines.join('\n  - ')}`;
  return new OperationError(message, { hint: untouched });
}
