// Where a PostgreSQL image keeps its data, by major version. The official images before 18 use
// PGDATA=/var/lib/postgresql/data (the volume is mounted there); 18 and later use
// PGDATA=/var/lib/postgresql/<major>/docker and expect the volume at /var/lib/postgresql, so a
// later pg_upgrade finds old and new data directories side by side on one volume.
import type { ClusterConfig } from '../config/schema.js';

/** The first major version with the pg_ctlcluster-style layout. */
export const VERSIONED_LAYOUT_SINCE = 18;

/**
 * The PostgreSQL major version the configured image runs: the leading number of POSTGRES_IMAGE's
 * tag (it defaults to postgres:POSTGRESQL_VERSION), else of POSTGRESQL_VERSION (an image pinned by
 * digest or with a tag such as `alpine`).
 */
export function postgresMajor(c: Pick<ClusterConfig, 'POSTGRES_IMAGE' | 'POSTGRESQL_VERSION'>): number {
  const tag = /:([^:/@]+)(?:@[^/]*)?$/.exec(c.POSTGRES_IMAGE)?.[1] ?? '';
  const major = /^(\d+)/.exec(tag)?.[1] ?? /^(\d+)/.exec(c.POSTGRESQL_VERSION)?.[1];
  return Number(major ?? 0);
}

/** Where the data volume is mounted in the postgres container for a major version. */
export function postgresVolumeTarget(major: number): string {
  return major >= VERSIONED_LAYOUT_SINCE ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
}

/** PGDATA relative to the volume's root: the root itself before 18, `<major>/docker` since. */
export function dataDirInVolume(major: number): string {
  return major >= VERSIONED_LAYOUT_SINCE ? `${major}/docker` : '.';
}

/** POSTGRES_HOST names a server of the user's: the stack deploys no PostgreSQL and keeps no volume for it. */
export const externalPostgres = (c: Pick<ClusterConfig, 'POSTGRES_HOST'>): boolean => c.POSTGRES_HOST !== '';
