// Host key verification for DOCKER_HOST=ssh://, as OpenSSH does it with StrictHostKeyChecking=yes:
// the key the host presents must be listed for it in known_hosts (plain or hashed names, `[host]:port`
// for another port than 22, `*`/`?` patterns, `!` negations, `@revoked`). ssh2 accepts any key unless
// told otherwise; this is what it is told. `@cert-authority` lines are not supported (they never match).
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface KnownKey {
  readonly type: string;
  /** The key blob, base64, as known_hosts writes it. */
  readonly key: string;
  readonly revoked: boolean;
}

export type HostKeyVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'unknown' | 'changed' | 'revoked'; readonly fingerprint: string };

/** The known_hosts files read: DOCKER_SSH_KNOWN_HOSTS alone when set, else the user's and the system's (as ssh). */
export function knownHostsFiles(env: Record<string, string | undefined>): string[] {
  if (env.DOCKER_SSH_KNOWN_HOSTS) return [env.DOCKER_SSH_KNOWN_HOSTS];
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** The name known_hosts lists a host under: `host`, or `[host]:port` for another port than 22. */
export const hostEntryName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

/** The keys the files list for the host (a missing file lists none). */
export function knownKeys(files: readonly string[], host: string, port: number): KnownKey[] {
  const name = hostEntryName(host, port);
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => parseLine(line, name));
  });
}

function parseLine(line: string, name: string): KnownKey[] {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 3 || fields[0]!.startsWith('#')) return [];
  const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
  if (marker === '@cert-authority' || fields.length < 3) return [];
  const [hosts, type, key] = fields as [string, string, string];
  return hostsMatch(hosts, name) ? [{ type, key, revoked: marker === '@revoked' }] : [];
}

/** A comma-separated pattern list matches when a pattern does and no negated one does. */
function hostsMatch(patterns: string, name: string): boolean {
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!') && patternMatches(p.slice(1), name)) return false;
    if (!p.startsWith('!') && patternMatches(p, name)) matched = true;
  }
  return matched;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [salt, hash] = pattern.slice(3).split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** OpenSSH's fingerprint of a key blob: `SHA256:` and the unpadded base64 of its SHA-256. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function verifyHostKey(known: readonly KnownKey[], presented: Buffer): HostKeyVerdict {
  const key = presented.toString('base64');
  const print = fingerprint(presented);
  if (known.some((k) => k.revoked && k.key === key)) return { ok: false, reason: 'revoked', fingerprint: print };
  if (known.some((k) => !k.revoked && k.key === key)) return { ok: true };
  return { ok: false, reason: known.some((k) => !k.revoked) ? 'changed' : 'unknown', fingerprint: print };
}

/** Host key algorithms ssh2 offers, and those a known key type can be verified with. */
const ALGORITHMS: Record<string, readonly string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * The host key algorithms to ask for: those of the key types known for the host, so a host with
 * an ed25519 and an RSA key, listed only by its RSA key, presents that one (OpenSSH orders them
 * the same way). Undefined (ssh2's default) when none is known: the key is then refused anyway.
 */
export function hostKeyAlgorithms(known: readonly KnownKey[]): string[] | undefined {
  const algorithms = [...new Set(known.filter((k) => !k.revoked).flatMap((k) => ALGORITHMS[k.type] ?? []))];
  return algorithms.length ? algorithms : undefined;
}

/** One sentence: why the host was refused and the command that fixes it. */
export function refusalMessage(
  verdict: Exclude<HostKeyVerdict, { ok: true }>,
  where: { host: string; port: number; file: string },
): string {
  const name = hostEntryName(where.host, where.port);
  const scan = `ssh-keyscan ${where.port === 22 ? '' : `-p ${where.port} `}${where.host} >> ${where.file}`;
  const presented = `presents host key ${verdict.fingerprint}`;
  if (verdict.reason === 'unknown')
    return `DOCKER_HOST ${name} ${presented}, which is not in ${where.file}: compare it with the host's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` there), add it with \`${scan}\` and retry`;
  if (verdict.reason === 'revoked')
    return `DOCKER_HOST ${name} ${presented}, which ${where.file} marks @revoked: the connection was refused; ask the host's admin for its new key`;
  return `DOCKER_HOST ${name} ${presented}, not the one ${where.file} lists for it (the host was reinstalled, or the connection is intercepted): once its admin confirms the new key, replace the old one with \`ssh-keygen -f ${where.file} -R '${name}' && ${scan}\``;
}
