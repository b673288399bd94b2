// Synthesizes the CDKTF stack to Terraform JSON by running the stack app (dist/stacks/main.js)
// with the same config sources as the CLI. The app always runs with the project root as its
// working directory: cdktf's default local backend bakes `<cwd>/terraform.<stack>.tfstate` into
// cdk.tf.json as an absolute path, so a fixed cwd keeps the state in one place, outside
// cdktf.out (which may be wiped and re-synthesized without losing state).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config/load.js';
import { stackName } from '../config/derive.js';
import type { ClusterConfig } from '../config/schema.js';
import { ExternalCommandError, OperationError, tailLines } from '../errors.js';
import { exec, type ExecIO } from './exec.js';

export interface SynthSources {
  /** The env file the CLI read (passed on as TEMPORAL_ENV_FILE). */
  envFile?: string;
}

export interface Synthesized {
  /** cdktf.out/stacks/<stack>: where terraform runs. */
  dir: string;
  /** The local backend's state file, when the stack uses one. */
  stateFile?: string;
}

export const stackDir = (c: ClusterConfig): string => join(PROJECT_ROOT, 'cdktf.out', 'stacks', stackName(c));

export async function synthesize(c: ClusterConfig, sources: SynthSources, io: ExecIO): Promise<Synthesized> {
  const app = join(PROJECT_ROOT, 'dist', 'stacks', 'main.js');
  if (!existsSync(app)) {
    throw new OperationError(`the stack app ${app} is missing: run \`npm run build\` in ${PROJECT_ROOT} and retry`);
  }
  // CDKTF_OUTDIR pinned: an inherited value would send the JSON somewhere terraform is not run.
  const env = { ...io.env, CDKTF_OUTDIR: join(PROJECT_ROOT, 'cdktf.out'), TEMPORAL_PROFILE: c.TEMPORAL_PROFILE, ...(sources.envFile ? { TEMPORAL_ENV_FILE: resolve(sources.envFile) } : {}) };
  const r = await exec(process.execPath, [app], { ...io, env }, PROJECT_ROOT);
  if (r.exitCode !== 0) throw new ExternalCommandError(`node ${app}`, r.exitCode, tailLines(r.stderr || r.stdout, 12));
  const dir = stackDir(c);
  const json = join(dir, 'cdk.tf.json');
  if (!existsSync(json)) {
    throw new OperationError(`the stack app did not write ${json}: check that stacks/main.ts names its stack ${stackName(c)} (derive.stackName)`);
  }
  return { dir, stateFile: backendPath(json) };
}

/** terraform.backend.local.path from the synthesized JSON (cdktf's default backend). */
function backendPath(json: string): string | undefined {
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
  const path = doc.terraform?.backend?.local?.path;
  return path ? resolve(json, '..', path) : undefined;
}
