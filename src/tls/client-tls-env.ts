// What a client of the frontend needs for TEMPORAL_TLS, under each client's own names: Temporal's
// envconfig / CLI names (admin-tools' `temporal`, SDK workers, what `start` prints) and the Web UI's
// (ui-server 2.55.0 config/docker.yaml). Pure: the stack and the CLI share it.
import type { ClusterConfig } from '../config/schema.js';
import { CLIENT_TLS_KEYS, mtlsOn, pathsOf, tlsOn, tlsServerName } from '../model/tls-settings.js';

/** A client's TLS files as that client sees them; the certificate and key only with mtls. */
export interface ClientTlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Where the stack uploads them into the UI and admin-tools containers. */
export const CLIENT_TLS_CONTAINER_FILES: ClientTlsFiles = {
  ca: '/etc/temporal-ctl/tls/ca.pem',
  cert: '/etc/temporal-ctl/tls/client.pem',
  key: '/etc/temporal-ctl/tls/client-key.pem',
};

/** The config's own client paths (host clients: temporal-ctl, workers). */
export const clientTlsFilesOnHost = (c: ClusterConfig): ClientTlsFiles => pathsOf(CLIENT_TLS_KEYS, c);

/**
 * Temporal's environment configuration names (the CLI's and the SDKs' envconfig). TEMPORAL_TLS itself
 * is left out: they read it as a boolean, and any TLS path already turns TLS on.
 */
export function sdkTlsEnv(c: ClusterConfig, files: ClientTlsFiles): Record<string, string> {
  if (!tlsOn(c)) return {};
  return {
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
    ...(mtlsOn(c) ? { TEMPORAL_TLS_CLIENT_CERT_PATH: files.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: files.key } : {}),
    TEMPORAL_TLS_SERVER_NAME: tlsServerName(c),
  };
}

/** The Web UI image's names (its docker.yaml `tls:` block); host verification on. */
export function uiTlsEnv(c: ClusterConfig, files: ClientTlsFiles): Record<string, string> {
  if (!tlsOn(c)) return {};
  return {
    TEMPORAL_TLS_CA: files.ca,
    ...(mtlsOn(c) ? { TEMPORAL_TLS_CERT: files.cert, TEMPORAL_TLS_KEY: files.key } : {}),
    TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
    TEMPORAL_TLS_SERVER_NAME: tlsServerName(c),
  };
}

/** Which of a client's files exist for this mode, by config key (what the stack uploads). */
export function clientTlsSources(c: ClusterConfig): { key: keyof ClientTlsFiles; path: string }[] {
  if (!tlsOn(c)) return [];
  const host = clientTlsFilesOnHost(c);
  return (mtlsOn(c) ? (['ca', 'cert', 'key'] as const) : (['ca'] as const)).map((key) => ({ key, path: host[key] }));
}
