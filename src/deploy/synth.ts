// Synthesizes the CDKTF stack to Terraform JSON in this process, into the project's state
// directory. The stack's local backend points at the project's state file, so `terraform` run here
// and `cdktf deploy` run from a checkout (stacks/main.ts) share one state. The only module in src/
// that loads stacks/ (a test enforces it), and only when a deploy needs it.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from '../project/load.js';
import { projectPaths, stackFiles, type ProjectPaths } from '../project/paths.js';
import { stackName } from '../model/names-and-endpoints.js';
import type { ServiceVolume } from '../model/service-facts.js';
import { privateTree, withPrivateUmask } from './private-files.js';

export interface Synthesized {
  /** Where terraform runs (the synthesized stack's directory). */
  readonly dir: string;
  readonly stateFile: string;
  readonly paths: ProjectPaths;
  /** Volumes kept declared only because the state holds them (their service is switched off). */
  readonly retainedVolumes: readonly ServiceVolume[];
}

export async function synthesize(loaded: LoadedConfig): Promise<Synthesized> {
  const c = loaded.config;
  const paths = projectPaths(c, loaded.projectDir);
  ensureStateDir(paths.stateDir);
  const [{ App }, { TemporalStack }] = await Promise.all([import('cdktf'), import('../../stacks/temporal-stack.js')]);
  const app = new App({ outdir: paths.outdir, stackTraces: false });
  const stack = new TemporalStack(app, stackName(c), {
    config: c,
    stateFile: paths.stateFile,
    ...stackFiles(c, loaded.projectDir),
  });
  // The synthesized JSON holds the passwords as the containers' environment.
  withPrivateUmask(() => app.synth());
  privateTree(paths.stateDir);
  return { dir: paths.stackDir, stateFile: paths.stateFile, paths, retainedVolumes: stack.cluster.retainedVolumes };
}

/**
 * The state holds passwords: only its owner may read the directory, and git never picks it up.
 */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore))
    writeFileSync(ignore, '# temporal-ctl state: Terraform state (with secrets) and the synthesized stack\n*\n');
}
