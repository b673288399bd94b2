// Which docker_volume resources a local Terraform state holds: the stack keeps declaring a held
// volume of a service that was switched off, so the switch never deletes its data (see
// retainedVolumes in src/model/service-facts.ts). Read at synth time, by the CLI's synth and `cdktf synth`.
import { stateResources } from '../src/project/paths.js';

/** The Terraform ids (`docker_volume.<id>`) of the volumes in the state file; none when there is no file. */
export function volumeIdsInState(stateFile: string): string[] {
  return stateResources(stateFile)
    .filter((r) => r.mode === 'managed' && r.type === 'docker_volume' && r.name)
    .map((r) => r.name!);
}
