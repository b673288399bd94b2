// The kreuzwerker/docker release @cdktf/provider-docker was generated from: its package.json says so
// (cdktf.provider.version). TEMPORAL_DOCKER_PROVIDER_VERSION defaults to it; nothing else repeats it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface BindingsManifest {
  cdktf: { provider: { name: string; version: string } };
}

const manifest = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@cdktf/provider-docker/package.json'), 'utf8'),
) as BindingsManifest;

/** e.g. 3.6.2: the provider version whose schema the bindings (and so the synthesized JSON) follow. */
export const BOUND_DOCKER_PROVIDER_VERSION = manifest.cdktf.provider.version;
