// Which docker_volume resources a local Terraform state holds: the stack keeps declaring a held
// volume of a service that was switched off, so the switch never deletes its data (see
// retainedVolumes in src/model/derive.ts). Read at synth time, by the CLI's synth and `cdktf synth`.
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../src/errors.js';

interface StateFile {
  readonly resources?: readonly { readonly mode?: string; readonly type?: string; readonly name?: string }[];
}

/** The Terraform ids (`docker_volume.<id>`) of the volumes in the state file; none when there is no file. */
export function volumeIdsInState(stateFile: string): string[] {
  if (!existsSync(stateFile)) return [];
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as StateFile;
  } catch {
    throw new ConfigError(
      [`${stateFile}: the Terraform state is not valid JSON; restore it from ${stateFile}.backup`],
      stateFile,
    );
  }
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed' && r.type === 'docker_volume' && r.name)
    .map((r) => r.name!);
}
