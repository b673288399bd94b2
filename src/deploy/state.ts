// The Terraform state of a project: how many resources it tracks, and the one-time move from where
// versions before TEMPORAL_STATE_DIR kept it (the package directory, lost on reinstall).
import { existsSync, renameSync } from 'node:fs';
import { stateResources, type ProjectPaths } from '../project/paths.js';
import { ensureStateDir } from './synth.js';

/** Resources terraform tracks in a local state file (0 when there is none). */
export function stateResourceCount(file: string): number {
  return stateResources(file).length;
}

/** Moves a legacy state file (and its backup) into the state directory; returns where from, if it did. */
export function moveLegacyState(paths: ProjectPaths): string | undefined {
  const from = paths.legacyStateFile;
  if (from === paths.stateFile || !existsSync(from) || existsSync(paths.stateFile)) return undefined;
  ensureStateDir(paths.stateDir);
  renameSync(from, paths.stateFile);
  if (existsSync(`${from}.backup`)) renameSync(`${from}.backup`, `${paths.stateFile}.backup`);
  return from;
}
