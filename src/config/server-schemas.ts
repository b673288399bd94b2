// The PostgreSQL schema versions each Temporal server minor requires: the one table the config
// check, the status probe and (later) upgrades judge a schema by. The CLI runs without Go or the
// server's module, so the values are written down here rather than read at run time.

/** Schema versions of the persistence and the SQL visibility database. */
export interface ServerSchema {
  readonly temporal: string;
  readonly visibility: string;
}

/** A server minor temporal-ctl knows: the schema it requires and its newest patch release. */
export interface ServerMinor extends ServerSchema {
  /** The step an upgrade chain takes through this minor. */
  readonly newestPatch: string;
}

/**
 * Server minor -> the schema versions it requires. Source of each row: schema/postgresql/v12/version.go
 * (Version, VisibilityVersion) of go.temporal.io/server, checked at the minor's first and newest
 * patch: 1.30.0 and 1.30.9, 1.31.0 and 1.31.2, 1.32.0 and 1.32.2. newestPatch: the newest
 * go.temporal.io/server release of the minor on the Go module proxy (2026-11-25). Add a row when
 * TEMPORAL_VERSION moves to a new minor; a minor missing here is refused by the config check, never
 * silently passed. The minors must be consecutive: an upgrade steps through each one.
 */
export const SERVER_SCHEMAS: Readonly<Record<string, ServerMinor>> = {
  '1.30': { temporal: '1.18', visibility: '1.13', newestPatch: '1.30.9' },
  '1.31': { temporal: '1.19', visibility: '1.14', newestPatch: '1.31.2' },
  '1.32': { temporal: '1.19', visibility: '1.14', newestPatch: '1.32.2' },
};

/** "1.32" of "1.32.2" (undefined for something that is not a version). */
export function serverMinor(version: string): string | undefined {
  return /^v?(\d+\.\d+)(?:\.|$)/.exec(version)?.[1];
}

/** The schema a server version requires, or undefined when its minor is not in SERVER_SCHEMAS. */
export function expectedSchema(serverVersion: string): ServerSchema | undefined {
  const minor = serverMinor(serverVersion);
  const row = minor === undefined ? undefined : SERVER_SCHEMAS[minor];
  return row && { temporal: row.temporal, visibility: row.visibility };
}

/** The minors temporal-ctl knows, oldest first, as "1.30, 1.31, 1.32". */
export function knownMinors(): string {
  return Object.keys(SERVER_SCHEMAS)
    .sort((a, b) => compareVersions(a, b))
    .join(', ');
}

/** Why a server version whose minor is not in SERVER_SCHEMAS cannot be judged, naming the known minors. */
export function unknownServerVersion(serverVersion: string): string {
  return `temporal-ctl does not know which schema Temporal server ${serverVersion} requires (it knows ${knownMinors()})`;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
