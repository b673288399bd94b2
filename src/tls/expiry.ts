// The server certificate's expiry for `status`: read from TEMPORAL_TLS_SERVER_CERT_PATH (what the
// stack uploads) with Node's own X509 parser, and a warning when fewer than WARN_DAYS remain.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClusterConfig } from '../config/schema.js';
import { tlsOn } from '../model/tls-settings.js';

/** Under this many days left, status warns. */
export const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

export type CertificateExpiry =
  | { readonly mode: string; readonly path: string; readonly notAfter: string; readonly daysLeft: number }
  | { readonly mode: string; readonly path: string; readonly error: string };

/** Undefined with TEMPORAL_TLS=off. */
export async function serverCertificateExpiry(
  c: ClusterConfig,
  now: Date = new Date(),
): Promise<CertificateExpiry | undefined> {
  if (!tlsOn(c)) return undefined;
  const path = c.TEMPORAL_TLS_SERVER_CERT_PATH;
  try {
    const cert = new X509Certificate(await readFile(path));
    const notAfter = new Date(cert.validTo);
    return {
      mode: c.TEMPORAL_TLS,
      path,
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { mode: c.TEMPORAL_TLS, path, error: `cannot read the server certificate (${reason})` };
  }
}

/** The warning `status` prints, if any. */
export function expiryWarning(e: CertificateExpiry | undefined): string | undefined {
  if (!e) return undefined;
  if ('error' in e) return `TEMPORAL_TLS_SERVER_CERT_PATH: ${e.path}: ${e.error}`;
  const fix = 'renew it (`temporal-ctl certs create --force`, then `temporal-ctl start`)';
  if (e.daysLeft < 0) return `the server certificate expired on ${e.notAfter.slice(0, 10)}; ${fix}`;
  if (e.daysLeft < WARN_DAYS)
    return `the server certificate expires in ${e.daysLeft} days (${e.notAfter.slice(0, 10)}); ${fix}`;
  return undefined;
}

/** One line for the status table. */
export function expiryLine(e: CertificateExpiry): string {
  if ('error' in e) return `TLS ${e.mode}: ${e.error}`;
  return `TLS ${e.mode}: server certificate valid until ${e.notAfter.slice(0, 10)} (${e.daysLeft} days left)`;
}
