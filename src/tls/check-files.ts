// The TLS files start uploads, checked before the engine is asked anything: each readable, each
// certificate and key parseable (OpenSSL here refuses what Go's x509 in the server refuses), and
// each certificate with its own key. A bad file is a config error in a second, not a server that
// cannot load it and a start that waits out --timeout.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClusterConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import {
  CLIENT_TLS_KEYS,
  SERVER_TLS_KEYS,
  TLS_PATH_KEYS,
  type TlsPathKey,
  tlsOn,
  unreadableTlsFile,
  writtenByCertsCreate,
} from '../model/tls-settings.js';

/** Each certificate key with the key of its private key (the CAs have none here). */
const PAIRS: readonly (readonly [TlsPathKey, TlsPathKey])[] = [
  [SERVER_TLS_KEYS.cert, SERVER_TLS_KEYS.key],
  [CLIENT_TLS_KEYS.cert, CLIENT_TLS_KEYS.key],
];

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The keys naming a private key file: the second of each pair. */
const KEY_FILE_KEYS: ReadonlySet<TlsPathKey> = new Set(PAIRS.map(([, key]) => key));

/** OpenSSL's reason without its error code prefix ("error:068000DD:"). */
const reasonOf = (error: unknown): string => (error as Error).message.replace(/^error:[0-9A-F]+:/, '');

function fixFor(path: string): string {
  return writtenByCertsCreate(path)
    ? 'run `temporal-ctl certs create --force` to issue new certificates'
    : 'point it at a PEM file that holds one';
}

/** The parsed content of one file, or why it is not usable. */
function parsed(k: TlsPathKey, path: string): { problem: string } | { cert: X509Certificate } | { key: KeyObject } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: unreadableTlsFile(k, path, error) };
  }
  try {
    if (KEY_FILE_KEYS.has(k)) return { key: createPrivateKey(text) };
    const blocks = text.match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) return { problem: `${k}: "${path}" holds no PEM certificate; ${fixFor(path)}` };
    const certs = blocks.map((b) => new X509Certificate(b)); // every block must parse; the first is the leaf
    return { cert: certs[0] as X509Certificate };
  } catch (error) {
    const what = KEY_FILE_KEYS.has(k) ? 'private key' : 'certificate';
    return { problem: `${k}: "${path}" holds an invalid ${what} (${reasonOf(error)}); ${fixFor(path)}` };
  }
}

/** Every TLS file the stack uploads is usable; a config error (exit 2) names each one that is not. */
export function assertTlsFilesUsable(c: ClusterConfig): void {
  if (!tlsOn(c)) return;
  const problems: string[] = [];
  const certs = new Map<TlsPathKey, X509Certificate>();
  const keys = new Map<TlsPathKey, KeyObject>();
  for (const k of TLS_PATH_KEYS) {
    if (c[k] === '') continue;
    const result = parsed(k, c[k]);
    if ('problem' in result) problems.push(result.problem);
    else if ('cert' in result) certs.set(k, result.cert);
    else keys.set(k, result.key);
  }
  // A pair is compared only when both halves parsed: a broken half is already named.
  for (const [certKey, keyKey] of PAIRS) {
    const cert = certs.get(certKey);
    const key = keys.get(keyKey);
    if (cert && key && !cert.checkPrivateKey(key))
      problems.push(
        `${keyKey}: "${c[keyKey]}" is not the key of the certificate in ${certKey} ("${c[certKey]}"); point both at one pair${writtenByCertsCreate(c[keyKey]) ? ' (`temporal-ctl certs create --force` writes a new one)' : ''}`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems, 'TLS settings');
}
