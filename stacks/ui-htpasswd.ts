// The htpasswd line of the Web UI's basic-auth proxy: `user:bcrypt-hash`. The password never
// leaves the config; the container and the Terraform state get only the hash. bcrypt salts at
// random, so a new hash on every synth would replace the proxy on every start: the hash the state
// already holds is kept while it still matches the user and password.
import bcrypt from 'bcryptjs';
import { stateResources } from '../src/project/paths.js';

/**
 * bcrypt's cost, 2^5 rounds: Apache's `htpasswd -B` default. nginx checks the hash on every request
 * (no session), and one load of the UI's workflow list made 242 requests (test/e2e/ui-auth.test.ts):
 * at cost 8 it took 12.4 s to render on this 2-core machine under load. Measured with Debian's nginx
 * 1.22 (libcrypt) here, 20 authenticated GETs took ~80 ms each at cost 5, ~240 ms at 8, ~290 ms at 10,
 * against ~44 ms for curl alone. At cost 5 the e2e's authenticated GET took 5.5 ms and the list
 * rendered in 3.3 s (3.2 s straight from the UI). The hash is only in the container and the state.
 */
export const BCRYPT_COST = 5;

export function htpasswdLine(user: string, password: string, previous?: string): string {
  if (previous) {
    const sep = previous.indexOf(':');
    const [u, hash] = [previous.slice(0, sep), previous.slice(sep + 1).trim()];
    if (sep > 0 && u === user && bcrypt.compareSync(password, hash)) return `${u}:${hash}`;
  }
  return `${user}:${bcrypt.hashSync(password, BCRYPT_COST)}`;
}

/** The htpasswd line deployed in the state's proxy container (resource id `resourceId`), if any. */
export function htpasswdInState(stateFile: string, resourceId: string, path: string): string | undefined {
  const proxy = stateResources(stateFile).find(
    (r) => r.mode === 'managed' && r.type === 'docker_container' && r.name === resourceId,
  ) as { instances?: { attributes?: { upload?: { file?: string; content?: string }[] } }[] } | undefined;
  return proxy?.instances?.[0]?.attributes?.upload?.find((u) => u.file === path)?.content?.trim();
}
