// The bridge network every service joins, and the named volumes that hold the data.
//
// Volumes and `destroy`: each volume has lifecycle.prevent_destroy, so a plain `terraform destroy`
// (or `cdktf destroy`) stops with an error instead of deleting data. The CLI's `down` therefore
// first forgets the volumes (`terraform state rm` of every `docker_volume.*` address from
// `terraform state list`), then runs `terraform destroy`: containers and network go, the volumes
// stay on the Docker host. `down --volumes` additionally deletes them through the Docker API after
// the destroy, selected by the labels io.temporal-ctl.project + io.temporal-ctl.stack. The next
// `up` declares the same names again and Docker hands back the existing volume (volume create is
// idempotent for an existing name and driver), so the data is picked up.
import { Construct } from 'constructs';
import { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import { networkName, type ProjectScope } from '../../src/model/names-and-endpoints.js';
import type { ServiceVolume } from '../../src/model/service-facts.js';
import { NETWORK_RESOURCE_ID, type ServiceName } from '../../src/model/services.js';
import { labelBlocks } from './common.js';

export interface NetworkAndVolumesProps {
  /** Project and profile: the network is `<project>-network`; everything carries the project and stack labels. */
  readonly project: ProjectScope;
  /** The named volumes to declare (the model's, for the enabled services). @default - none */
  readonly volumes?: readonly ServiceVolume[];
  /**
   * An overlay network over a swarm's nodes instead of a bridge, attachable so that the one-shot jobs
   * (containers on the manager) join it, and IPsec-encrypted between nodes if asked. @default - a bridge
   */
  readonly overlay?: { readonly encrypted: boolean };
}

export class NetworkAndVolumes extends Construct {
  readonly network: Network;
  /** The named volume of each service given one. */
  readonly volumes: Partial<Record<ServiceName, Volume>> = {};

  constructor(scope: Construct, id: string, props: NetworkAndVolumesProps) {
    super(scope, id);
    const project = props.project;
    this.network = new Network(this, 'network', {
      name: networkName(project),
      labels: labelBlocks(project),
      ...(props.overlay
        ? {
            driver: 'overlay',
            attachable: true,
            ...(props.overlay.encrypted ? { options: { encrypted: 'true' } } : {}),
          }
        : { driver: 'bridge' }),
    });
    this.network.overrideLogicalId(NETWORK_RESOURCE_ID);
    for (const v of props.volumes ?? []) {
      const volume = new Volume(this, v.resourceId, {
        name: v.name,
        driver: 'local',
        labels: labelBlocks(project, v.service),
        lifecycle: { preventDestroy: true },
      });
      volume.overrideLogicalId(v.resourceId);
      this.volumes[v.service] = volume;
    }
  }
}
