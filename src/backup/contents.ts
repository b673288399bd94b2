// What a backup of a cluster holds and is called: pure, for the backup, the restore and the upgrade.
import type { ClusterConfig } from '../config/schema.js';
import type { DatabaseRole, Manifest } from './manifest.js';

/** `<project>-<UTC timestamp>.tctl-backup`, e.g. temporal-20261125T190102Z.tctl-backup. */
export function defaultBackupFile(c: ClusterConfig, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${c.TEMPORAL_PROJECT}-${stamp}.tctl-backup`;
}

/** The databases a backup of c holds: persistence always, visibility when it is in PostgreSQL. */
export function databasesOf(c: ClusterConfig): { role: DatabaseRole; name: string }[] {
  return [
    { role: 'persistence', name: c.TEMPORAL_DB },
    ...(c.TEMPORAL_VISIBILITY === 'postgres' ? [{ role: 'visibility' as const, name: c.TEMPORAL_VISIBILITY_DB }] : []),
  ];
}

/** What the backup leaves out, said wherever one is taken (`backup`, `upgrade`'s backup first). */
export function notInBackup(m: Pick<Manifest, 'visibilityStore'>): string | undefined {
  return m.visibilityStore === 'elasticsearch'
    ? 'Elasticsearch visibility is not in the backup: take an Elasticsearch snapshot beside it (docs/operations.md#backup-and-restore)'
    : undefined;
}
