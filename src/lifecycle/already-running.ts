// Whether start has anything to do: the fast path of a second `start` on a cluster that already
// runs as configured (compared by image id, not by name).
import type { ClusterConfig } from '../config/schema.js';
import type { Env } from '../docker/client.js';
import { isUp } from '../docker/containers.js';
import type { StackContainer } from '../docker/container-state.js';
import { enabledInstances, imageFor, requiredImages } from '../model/service-facts.js';

/** Every instance of every enabled service has its container up (one-shot jobs done), running the configured image. */
export async function alreadyRunning(config: ClusterConfig, env: Env): Promise<boolean> {
  const [{ listStackContainers }, { imagePresence }, { dockerDeadline }] = await Promise.all([
    import('../docker/containers.js'),
    import('../docker/local-images.js'),
    import('../docker/client.js'),
  ]);
  // Unreachable engine: not running here; the prerequisites then say why.
  const [containers, images] = await Promise.all([
    listStackContainers(config, env).catch(() => []),
    imagePresence(requiredImages(config), env, dockerDeadline(config)).catch(() => []),
  ]);
  const imageIds = new Map(images.flatMap((i) => (i.id ? [[i.ref, i.id] as const] : [])));
  return runsAsConfigured(config, containers, imageIds);
}

/**
 * The containers run every enabled service, up, on the image id the configured reference resolves
 * to on the engine. By id: the stack creates containers from docker_image's id (sha256:...), and a
 * reference re-tagged to a new image (a `docker load`) must not count as running it.
 */
export function runsAsConfigured(
  config: ClusterConfig,
  containers: readonly StackContainer[],
  imageIds: ReadonlyMap<string, string>,
): boolean {
  return enabledInstances(config).every(({ service, name }) => {
    const x = containers.find((c) => c.instance === name);
    const want = imageIds.get(imageFor(config, service));
    return x !== undefined && isUp(x) && want !== undefined && x.imageId === want;
  });
}
