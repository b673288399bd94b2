// What the last successful `start` applied, as a fingerprint in the state directory, so a second
// `start` can skip terraform only when nothing it would synthesize has changed: an edited
// temporal.env, dynamic config file or schema script, a renewed TLS file, or another temporal-ctl
// version, means apply.
// A cluster deployed by `cdktf deploy` has no record; the running images then decide alone.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';
import { stackName } from '../model/names-and-endpoints.js';
import { type LoadedConfig } from '../project/load.js';
import { PACKAGE_VERSION } from '../installed-package.js';
import { projectPaths, stackFiles } from '../project/paths.js';
import { recordFacts } from '../preflight/facts.js';
import { tlsFileDigests } from '../tls/files.js';

/** The record's file: one per stack, beside its state file. */
const recordFile = (loaded: LoadedConfig): string =>
  join(projectPaths(loaded.config, loaded.projectDir).stateDir, `applied.${stackName(loaded.config)}.json`);

/** sha256 over everything the synthesized stack is made of: the config, the uploaded files, our version. */
export function configFingerprint(loaded: LoadedConfig): string {
  const config = Object.fromEntries(Object.entries(loaded.config).sort(([a], [b]) => a.localeCompare(b)));
  const files = { ...stackFiles(loaded.config, loaded.projectDir), tls: tlsFileDigests(loaded.config) };
  return createHash('sha256')
    .update(JSON.stringify({ version: PACKAGE_VERSION, config, files }))
    .digest('hex');
}

/** 'same' or 'changed' against the last record; 'unknown' when there is none (no start yet, a cdktf deploy). */
export function comparedWithApplied(loaded: LoadedConfig): 'same' | 'changed' | 'unknown' {
  const file = recordFile(loaded);
  if (!existsSync(file)) return 'unknown';
  try {
    const { fingerprint } = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint?: string };
    return fingerprint === configFingerprint(loaded) ? 'same' : 'changed';
  } catch {
    return 'changed'; // unreadable: apply, which writes it anew
  }
}

/** Records the fingerprint after a successful apply (atomically: a torn file would read as changed). */
export function recordApplied(loaded: LoadedConfig): void {
  const file = recordFile(loaded);
  const body = `${JSON.stringify({ fingerprint: configFingerprint(loaded), appliedAt: new Date().toISOString() }, null, 2)}\n`;
  writeFileAtomic.sync(file, body, { mode: 0o600 });
  recordFacts(loaded); // a successful start also fixes the first-start facts
}
