// Rules of the config that span keys, checked once every key parsed on its own.
import { enabledServices, publishedPorts } from '../model/service-facts.js';
import { externalPostgres } from '../model/postgres-layout.js';
import { expectedSchema, serverMinor, unknownServerVersion } from '../config/server-schemas.js';
import { tlsProblems } from '../model/tls-settings.js';
import { exposureProblems } from './exposure.js';
import { where, type Origins } from '../config/origins.js';
import type { ClusterConfig, ConfigKey } from '../config/schema.js';
import { uiAuthProblems } from '../config/ui-auth.js';
import {
  CONNECTIONS_KEPT,
  POSTGRES_MAX_CONNECTIONS,
  ROLE_FACTS,
  roleConnections,
  SERVER_ROLES,
} from '../model/server-roles.js';

/** Rules that span keys: ports in use twice, secrets the production profile requires, known releases. */
export function crossChecks(c: ClusterConfig, origins: Origins): string[] {
  const errors: string[] = [];
  // Without its row in the schema table, status could not tell a stale schema from a current one.
  if (!expectedSchema(c.TEMPORAL_VERSION)) {
    errors.push(
      `TEMPORAL_VERSION: ${unknownServerVersion(c.TEMPORAL_VERSION)}; use a release of a known minor, or a temporal-ctl release that knows ${serverMinor(c.TEMPORAL_VERSION) ?? c.TEMPORAL_VERSION}${where(origins.TEMPORAL_VERSION)}`,
    );
  }
  const seen = new Map<number, ConfigKey>();
  // Keys left at their default keep the port: the message names the key the user set.
  const ports = publishedPorts(c).sort(
    (a, b) => Number(origins[a.key] !== 'default') - Number(origins[b.key] !== 'default'),
  );
  for (const { key: k, host: p } of ports) {
    const first = seen.get(p);
    if (first)
      errors.push(`${k}: port ${p} is already used by ${first}; give each service its own port${where(origins[k])}`);
    else seen.set(p, k);
  }
  if (c.TEMPORAL_PROFILE === 'production' && c.POSTGRES_PASSWORD === '') {
    errors.push(
      `POSTGRES_PASSWORD: must not be empty in the production profile; set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or POSTGRES_PASSWORD_FILE${where(origins.POSTGRES_PASSWORD)}`,
    );
  }
  if (
    c.TEMPORAL_PROFILE === 'production' &&
    c.GRAFANA_ADMIN_PASSWORD === '' &&
    enabledServices(c).includes('grafana')
  ) {
    errors.push(
      `GRAFANA_ADMIN_PASSWORD: must not be empty in the production profile with Grafana on; set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or GRAFANA_ADMIN_PASSWORD_FILE, or use TEMPORAL_GRAFANA=off${where(origins.GRAFANA_ADMIN_PASSWORD)}`,
    );
  }
  // Shards are history's unit of work: an instance beyond their count owns none and serves nothing.
  if (c.TEMPORAL_TOPOLOGY === 'roles' && c.TEMPORAL_HISTORY_REPLICAS > c.NUM_HISTORY_SHARDS)
    errors.push(
      `TEMPORAL_HISTORY_REPLICAS: ${c.TEMPORAL_HISTORY_REPLICAS} history instances for ${c.NUM_HISTORY_SHARDS} shards (NUM_HISTORY_SHARDS) leaves some with no shard to own; run at most ${c.NUM_HISTORY_SHARDS} (the shard count is fixed once the cluster has data)${where(origins.TEMPORAL_HISTORY_REPLICAS)}`,
    );
  // Each role instance holds pools of its own: together they must leave PostgreSQL room for the rest.
  if (c.TEMPORAL_TOPOLOGY === 'roles' && roleConnections(c) > POSTGRES_MAX_CONNECTIONS - CONNECTIONS_KEPT) {
    const counts = SERVER_ROLES.map((r) => `${ROLE_FACTS[r].replicasKey}=${c[ROLE_FACTS[r].replicasKey]}`).join(', ');
    errors.push(
      `TEMPORAL_TOPOLOGY: ${counts} would open up to ${roleConnections(c)} PostgreSQL connections, more than the ${POSTGRES_MAX_CONNECTIONS - CONNECTIONS_KEPT} of its ${POSTGRES_MAX_CONNECTIONS} left to the server's roles; run fewer instances (history instances open the most)${where(origins.TEMPORAL_TOPOLOGY)}`,
    );
  }
  errors.push(...exposureProblems(c, origins));
  errors.push(...serverPasswordProblems(c, origins));
  errors.push(...uiAuthProblems(c, (k) => where(origins[k])));
  if (
    c.TEMPORAL_PROFILE === 'production' &&
    c.TEMPORAL_VISIBILITY === 'elasticsearch' &&
    c.ELASTICSEARCH_PASSWORD === ''
  ) {
    errors.push(
      `ELASTICSEARCH_PASSWORD: must not be empty in the production profile (Elasticsearch security is on); set it in the secrets file beside the env file (temporal.secrets.env, untracked), the environment or ELASTICSEARCH_PASSWORD_FILE, or use TEMPORAL_VISIBILITY=postgres${where(origins.ELASTICSEARCH_PASSWORD)}`,
    );
  }
  // The two keys are set independently (flags, environment, file): a lone one is caught here, before any connection.
  if ((c.TEMPORAL_TLS_CLIENT_CERT_PATH === '') !== (c.TEMPORAL_TLS_CLIENT_KEY_PATH === '')) {
    const [missing, given] =
      c.TEMPORAL_TLS_CLIENT_CERT_PATH === ''
        ? (['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH'] as const)
        : (['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_CERT_PATH'] as const);
    errors.push(
      `${missing}: empty, but mTLS needs it with ${given}${where(origins[given])}; set both (--tls-cert-path and --tls-key-path) or neither`,
    );
  }
  errors.push(...tlsProblems(c, (k) => where(origins[k])));
  errors.push(...externalPostgresProblems(c, origins));
  return errors;
}

/**
 * Characters Temporal's server (1.31.2, and still 1.32.2) cannot take in a password. Its built-in config template puts
 * POSTGRES_PWD and ES_PWD between YAML double quotes without escaping them, so a double quote or a
 * backslash breaks the config (the server does not start) or changes the password (`\t`), and a
 * line break folds into a space; its PostgreSQL plugin then writes the password into a connection
 * URL with Go's url.QueryEscape, which turns a space into "+".
 */
const UNUSABLE_IN_PASSWORD: Readonly<Record<'POSTGRES_PASSWORD' | 'ELASTICSEARCH_PASSWORD', RegExp>> = {
  POSTGRES_PASSWORD: /[ "\\\r\n]/,
  ELASTICSEARCH_PASSWORD: /["\\\r\n]/,
};

function serverPasswordProblems(c: ClusterConfig, origins: Origins): string[] {
  return (['POSTGRES_PASSWORD', 'ELASTICSEARCH_PASSWORD'] as const)
    .filter((key) => UNUSABLE_IN_PASSWORD[key].test(c[key]))
    .map(
      (key) =>
        `${key}: must not contain ${key === 'POSTGRES_PASSWORD' ? 'a space, ' : ''}a double quote, a backslash or a line break, which Temporal's server cannot take in a password (its config template and connection URL do not escape them); choose another password${where(origins[key])}`,
    );
}

/** TLS to PostgreSQL is for a server of the user's; verify-full needs the CA that signed its certificate. */
function externalPostgresProblems(c: ClusterConfig, origins: Origins): string[] {
  if (c.POSTGRES_TLS !== 'off' && !externalPostgres(c))
    return [
      `POSTGRES_TLS: ${c.POSTGRES_TLS} is for an external PostgreSQL; set POSTGRES_HOST to it, or POSTGRES_TLS=off (the stack's own PostgreSQL is reached on the cluster network only)${where(origins.POSTGRES_TLS)}`,
    ];
  if (c.POSTGRES_TLS === 'verify-full' && c.POSTGRES_TLS_CA_CERT_PATH === '')
    return [
      `POSTGRES_TLS_CA_CERT_PATH: POSTGRES_TLS=verify-full checks the server's certificate against a CA; set it to the CA's PEM file, or use POSTGRES_TLS=require${where(origins.POSTGRES_TLS_CA_CERT_PATH)}`,
    ];
  return [];
}
