// The Terraform state of a project: how many resources it tracks.
import { stateResources } from '../project/paths.js';

/** Resources terraform tracks in a local state file (0 when there is none). */
export function stateResourceCount(file: string): number {
  return stateResources(file).length;
}
