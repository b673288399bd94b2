// Removes the stack and never its data: the volumes are taken out of terraform's state
// before `terraform destroy` (they carry prevent_destroy, see stacks/constructs/network-and-volumes.ts),
// so only `down --volumes` (through the Docker API, after confirmation) ever deletes them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/load.js';
import { stackName } from '../config/derive.js';
import type { ClusterConfig } from '../config/schema.js';
import { OperationError } from '../errors.js';
import type { ExecIO } from './exec.js';
import { synthesize, type SynthSources } from './synth.js';
import { terraform, terraformInit } from './terraform.js';

/** cdktf's default local state file when synth runs in the project root. */
export const defaultStateFile = (c: ClusterConfig): string => join(PROJECT_ROOT, `terraform.${stackName(c)}.tfstate`);

/** Resources terraform tracks in a local state file (0 when there is none). */
export function stateResourceCount(file: string | undefined): number {
  if (!file || !existsSync(file)) return 0;
  const state = JSON.parse(readFileSync(file, 'utf8')) as { resources?: unknown[] };
  return state.resources?.length ?? 0;
}

/** terraform destroy of everything but the volumes; returns false when terraform had nothing to destroy. */
export async function destroyKeepingVolumes(c: ClusterConfig, sources: SynthSources, io: ExecIO): Promise<boolean> {
  const appBuilt = existsSync(join(PROJECT_ROOT, 'dist', 'stacks', 'main.js'));
  if (!appBuilt) {
    if (stateResourceCount(defaultStateFile(c)) === 0) return false;
    throw new OperationError(`terraform state ${defaultStateFile(c)} exists but the stack app is not built: run \`npm run build\` and retry`);
  }
  const { dir, stateFile } = await synthesize(c, sources, io);
  // A remote backend (stateFile undefined) cannot be inspected here: let terraform decide.
  if (stateFile && stateResourceCount(stateFile) === 0) return false;
  await terraformInit(dir, io);
  const listed = await terraform(dir, ['state', 'list'], io);
  const volumes = listed.split('\n').map((l) => l.trim()).filter((l) => /(^|\.)docker_volume\.[^.]+$/.test(l));
  if (volumes.length > 0) await terraform(dir, ['state', 'rm', ...volumes], io);
  await terraform(dir, ['destroy', '-auto-approve', '-input=false'], io);
  return true;
}
