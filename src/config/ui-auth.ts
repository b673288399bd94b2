// The Web UI authentication rules that span keys (TEMPORAL_UI_AUTH and the keys of its modes), and
// the UI image's own OIDC settings derived from the config once.
import type { ClusterConfig, ConfigKey } from './schema.js';

/** Keys only one mode reads: a key set for another mode is a mistake that leaves the UI unprotected. */
const MODE_KEYS = {
  basic: ['TEMPORAL_UI_PASSWORD'],
  oidc: ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET'],
} as const satisfies Record<'basic' | 'oidc', readonly ConfigKey[]>;

/** `KEY: message` lines; `where` tells where a key's value came from. */
export function uiAuthProblems(c: ClusterConfig, where: (k: ConfigKey) => string): string[] {
  const mode = c.TEMPORAL_UI_AUTH;
  const problems: string[] = [];
  for (const [m, keys] of Object.entries(MODE_KEYS) as [keyof typeof MODE_KEYS, readonly ConfigKey[]][]) {
    for (const k of keys) {
      if (m === mode && c[k] === '') {
        problems.push(`${k}: must be set with TEMPORAL_UI_AUTH=${mode}${where('TEMPORAL_UI_AUTH')}`);
      } else if (m !== mode && c[k] !== '') {
        problems.push(
          `${k}: is set, but TEMPORAL_UI_AUTH is ${mode}, so it protects nothing; set TEMPORAL_UI_AUTH=${m} or remove ${k}${where(k)}`,
        );
      }
    }
  }
  return problems;
}

/** The UI image's OIDC environment (its config/docker.yaml reads these names); none unless oidc. */
export function uiOidcEnv(c: ClusterConfig): Record<string, string> {
  if (c.TEMPORAL_UI_AUTH !== 'oidc') return {};
  return {
    TEMPORAL_AUTH_ENABLED: 'true',
    TEMPORAL_AUTH_PROVIDER_URL: c.TEMPORAL_AUTH_PROVIDER_URL,
    ...(c.TEMPORAL_AUTH_ISSUER_URL ? { TEMPORAL_AUTH_ISSUER_URL: c.TEMPORAL_AUTH_ISSUER_URL } : {}),
    TEMPORAL_AUTH_CLIENT_ID: c.TEMPORAL_AUTH_CLIENT_ID,
    TEMPORAL_AUTH_CLIENT_SECRET: c.TEMPORAL_AUTH_CLIENT_SECRET,
    TEMPORAL_AUTH_CALLBACK_URL: c.TEMPORAL_AUTH_CALLBACK_URL,
    TEMPORAL_AUTH_SCOPES: c.TEMPORAL_AUTH_SCOPES.join(','),
  };
}
