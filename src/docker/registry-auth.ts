// The credentials `docker login` stored for an image's registry, so a pull through the API can use
// them as `docker pull` does. Only the plain `auths` entries of config.json (a base64 user:password
// or an identity token); a credential helper (credsStore, credHelpers) is not run: the pull then goes
// anonymous and the registry's refusal names the image.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './client.js';

/** What the engine takes in the X-Registry-Auth header. */
export interface RegistryAuth {
  readonly serveraddress: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
}

const DOCKER_HUB = 'docker.io';

/** The registry a reference names (`docker.io` when its first part is not a host), as docker does. */
export function registryOf(ref: string): string {
  const [first, ...rest] = ref.split('/');
  const isHost = rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
  return isHost ? first! : DOCKER_HUB;
}

/** A config.json key (`https://index.docker.io/v1/`, `registry.example.com`, `https://host:5000`) as a host. */
function hostOfKey(key: string): string {
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io'].includes(host) ? DOCKER_HUB : host;
}

/** The stored login for ref's registry; undefined when there is none (or the file cannot be read). */
export function registryAuth(ref: string, env: Env): RegistryAuth | undefined {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  let file: DockerConfigFile;
  try {
    file = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as DockerConfigFile;
  } catch {
    return undefined;
  }
  const registry = registryOf(ref);
  const entry = Object.entries(file.auths ?? {}).find(([key]) => hostOfKey(key) === registry)?.[1];
  if (entry?.identitytoken) return { serveraddress: registry, identitytoken: entry.identitytoken };
  if (!entry?.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { serveraddress: registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
