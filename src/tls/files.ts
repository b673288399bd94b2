// `certs create`'s files: which names the server certificate carries, where the files go, and
// writing them private (files 600 in a 700 directory), never over existing ones unless forced.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { containerName } from '../model/names-and-endpoints.js';
import type { ProjectPaths } from '../project/paths.js';
import { CERT_FILES, CERTS_SUBDIR, type ClusterConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { TLS_PATH_KEYS, tlsOn } from '../model/tls-settings.js';
import type { IssuedCertificates } from './issue.js';

/** Addresses that mean "every interface": a client never dials them, so no certificate names them. */
const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);

/**
 * What the server certificate carries: TEMPORAL_TLS_SERVER_NAME when set, the server container's name
 * (what the UI, admin-tools and the server's own roles dial), then what host clients dial. The first
 * is the common name.
 */
export function serverNames(c: ClusterConfig): string[] {
  const names = [
    c.TEMPORAL_TLS_SERVER_NAME, // the name clients verify, when set
    containerName(c, 'server'),
    'localhost',
    '127.0.0.1',
    '::1',
    c.TEMPORAL_PUBLISH_ADDRESS,
    c.TEMPORAL_ENDPOINT_HOST,
  ].filter((n) => n !== '' && !UNSPECIFIED.has(n));
  return [...new Set(names)];
}

export const certsDir = (paths: Pick<ProjectPaths, 'stateDir'>): string => join(paths.stateDir, CERTS_SUBDIR);

export type CertFile = keyof typeof CERT_FILES;
export const certFilePaths = (dir: string): Record<CertFile, string> =>
  Object.fromEntries(Object.entries(CERT_FILES).map(([role, name]) => [role, join(dir, name)])) as Record<
    CertFile,
    string
  >;

/** Writes the six files; refuses (config error, exit 2) to replace existing ones without force. */
export async function writeCertificates(
  dir: string,
  issued: IssuedCertificates,
  force: boolean,
): Promise<Record<CertFile, string>> {
  const paths = certFilePaths(dir);
  const existing = Object.values(paths).filter((p) => existsSync(p));
  if (existing.length > 0 && !force) {
    throw new ConfigError(
      [
        `${dir}: holds certificates already (${existing.map((p) => basename(p)).join(', ')}); pass --force to replace them (clients holding the old CA then stop trusting the server until they get the new one)`,
      ],
      dir,
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // mkdir's mode does not apply to a directory that already exists
  const content: Record<CertFile, string> = {
    ca: issued.ca.cert,
    caKey: issued.ca.key,
    serverCert: issued.server.cert,
    serverKey: issued.server.key,
    clientCert: issued.client.cert,
    clientKey: issued.client.key,
  };
  for (const role of Object.keys(paths) as CertFile[]) {
    await writeFile(paths[role], content[role], { mode: 0o600 });
    await chmod(paths[role], 0o600); // writeFile's mode does not apply to a file that already exists
  }
  return paths;
}

/**
 * A digest of each TLS file the stack uploads, by key: part of what `start` fingerprints, so renewed
 * certificates (same paths, new content) are applied rather than found "already running as configured".
 */
export function tlsFileDigests(c: ClusterConfig): Record<string, string> {
  if (!tlsOn(c)) return {};
  const digest = (path: string): string => {
    try {
      return createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      return 'unreadable'; // the synth reports it, naming the key
    }
  };
  return Object.fromEntries(TLS_PATH_KEYS.filter((k) => c[k] !== '').map((k) => [k, digest(c[k])]));
}
