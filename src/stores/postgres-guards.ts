// What the PostgreSQL data allows the config to be: the data's major version, and the credentials
// it was initialized with. Each check returns the refusal (exit 2, nothing touched) or nothing.
import { containerName } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import type { CommandResult } from '../docker/container-exec.js';
import { DataConflictError } from '../errors.js';
import { externalPostgres, postgresMajor, VERSIONED_LAYOUT_SINCE } from '../model/postgres-layout.js';
import { serviceVolume } from '../model/service-facts.js';
import type { DataPostgres, VolumeData } from './postgres-data.js';

/** The data directory was made by another major version (or sits where this major does not look). */
export function majorVersionConflict(c: ClusterConfig, data: VolumeData): DataConflictError | undefined {
  if (data.kind === 'none') return undefined;
  const want = postgresMajor(c);
  const volume = serviceVolume(c, 'postgresql')!.name;
  // An 18+ image keeps PGDATA in <major>/docker; data at the volume's root is the layout before 18.
  const misplaced = want >= VERSIONED_LAYOUT_SINCE && data.dataDir === '.';
  if (data.dataMajor === want && !misplaced) return undefined;
  const found = misplaced
    ? `PostgreSQL ${data.dataMajor} data at the volume's root (the layout before ${VERSIONED_LAYOUT_SINCE})`
    : `PostgreSQL ${data.dataMajor} data`;
  return new DataConflictError(
    `volume ${volume} holds ${found}, but the configured image ${c.POSTGRES_IMAGE} runs PostgreSQL ${want}, which cannot open it: set POSTGRESQL_VERSION back to ${data.dataMajor}, or upgrade the data first`,
    {
      hint: 'docs/troubleshooting.md#postgresql-major-version: dump and restore (pg_dumpall), or pg_upgrade (e.g. the pgautoupgrade image) on a copy of the volume',
    },
  );
}

/** The image runs another major than its tag says: the volume would be mounted where it does not look. */
export function imageMajorConflict(c: ClusterConfig, imageMajor: number | undefined): DataConflictError | undefined {
  const want = postgresMajor(c);
  if (imageMajor === undefined || imageMajor === want) return undefined;
  return new DataConflictError(
    `the image ${c.POSTGRES_IMAGE} runs PostgreSQL ${imageMajor} (its PG_MAJOR), but its tag and POSTGRESQL_VERSION say ${want}: set POSTGRESQL_VERSION=${imageMajor}, which decides where the data volume is mounted`,
  );
}

/** How a login with the configured user and password went. */
export function loginOutcome(r: CommandResult): 'ok' | 'refused' | 'unknown' {
  if (r.exitCode === 0) return 'ok';
  return /password authentication failed|role ".*" does not exist|no pg_hba\.conf entry|authentication failed/i.test(
    r.stderr,
  )
    ? 'refused'
    : 'unknown';
}

/**
 * Logs in as the configured user with the configured password (the password is checked: TCP to a
 * network address). A refusal names the user and the fix; it never contains the password.
 */
export async function credentialConflict(c: ClusterConfig, pg: DataPostgres): Promise<DataConflictError | undefined> {
  const r = await pg.psql('postgres', 'select 1');
  const outcome = loginOutcome(r);
  if (outcome === 'ok') return undefined;
  if (outcome === 'unknown') throw new Error(`could not check the PostgreSQL credentials: ${r.stderr.trim()}`);
  if (externalPostgres(c))
    return new DataConflictError(
      `user ${c.POSTGRES_USER} cannot log in to POSTGRES_HOST ${c.POSTGRES_HOST}:${c.POSTGRES_HOST_PORT} with the configured POSTGRES_PASSWORD; nothing was changed`,
      {
        hint: `set POSTGRES_USER and POSTGRES_PASSWORD to a role of that server that may create databases, or, when the cluster already runs on it, \`temporal-ctl rotate-password\` changes the role's password there to the configured one`,
      },
    );
  const volume = serviceVolume(c, 'postgresql')!.name;
  const container = containerName(c, 'postgresql');
  const userChanged = pg.containerUser !== undefined && pg.containerUser !== c.POSTGRES_USER;
  const what = userChanged
    ? `POSTGRES_USER changed from ${pg.containerUser} to ${c.POSTGRES_USER}, but the data in volume ${volume} knows only the users of its first start`
    : `POSTGRES_PASSWORD (or POSTGRES_USER) does not match the data in volume ${volume}: PostgreSQL keeps the credentials of its first start and user ${c.POSTGRES_USER} cannot log in with the configured password`;
  return new DataConflictError(`${what}; nothing was changed`, {
    hint: userChanged
      ? `set POSTGRES_USER back to ${pg.containerUser}`
      : `to rotate the password to the configured one, run \`temporal-ctl rotate-password\` (it changes it in ${container} and applies it to the server); otherwise set POSTGRES_PASSWORD back to the password the data has`,
  });
}
