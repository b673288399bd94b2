// One Terraform stack per project and profile: the docker provider plus the TemporalCluster.
import { Construct } from 'constructs';
import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider/index.js';
import { endpoints } from '../src/model/names-and-endpoints.js';
import { LiteralStrings } from './literal-strings.js';
import { volumeIdsInState } from './state-volumes.js';
import { HTPASSWD_PATH } from './constructs/ui-proxy.js';
import { htpasswdInState } from './ui-htpasswd.js';
import { serviceDecl } from '../src/model/service-facts.js';
import { TemporalCluster, type TemporalClusterProps } from './temporal-cluster.js';

export interface TemporalStackProps extends TemporalClusterProps {
  /**
   * The Terraform state file (a local backend). The volumes it holds stay declared (see
   * TemporalClusterProps.heldVolumeIds). @default - cdktf's default, terraform.<stack>.tfstate in the working directory
   */
  readonly stateFile?: string;
}

export class TemporalStack extends TerraformStack {
  readonly cluster: TemporalCluster;

  constructor(scope: Construct, id: string, props: TemporalStackProps) {
    super(scope, id);
    // Config values are data, never Terraform templates: every string of every resource and output is escaped.
    Aspects.of(this).add(new LiteralStrings());
    if (props.stateFile) new LocalBackend(this, { path: props.stateFile });
    // No host argument: the provider reads DOCKER_HOST (unix://, tcp://, ssh://) and DOCKER_CERT_PATH itself.
    const docker = new DockerProvider(this, 'docker', {});
    // cdktf pins the release the bindings were generated for; the config may pin another (4.x).
    this.addOverride(
      `terraform.required_providers.${docker.terraformResourceType}.version`,
      props.config.TEMPORAL_DOCKER_PROVIDER_VERSION,
    );
    this.cluster = new TemporalCluster(this, 'cluster', {
      ...props,
      heldVolumeIds: props.heldVolumeIds ?? (props.stateFile ? volumeIdsInState(props.stateFile) : []),
      heldUiHtpasswd:
        props.heldUiHtpasswd ??
        (props.stateFile
          ? htpasswdInState(props.stateFile, serviceDecl('ui-proxy').resourceId, HTPASSWD_PATH)
          : undefined),
    });
    const e = endpoints(props.config);
    new TerraformOutput(this, 'grpc_endpoint', {
      value: e.grpc,
      description: 'Temporal frontend gRPC (TEMPORAL_ADDRESS)',
    });
    new TerraformOutput(this, 'http_endpoint', { value: e.http, description: 'Temporal frontend HTTP API' });
    new TerraformOutput(this, 'ui_url', { value: e.ui, description: 'Temporal Web UI' });
    new TerraformOutput(this, 'metrics_url', {
      value: e.metrics,
      description: "Temporal server's Prometheus endpoint",
    });
    new TerraformOutput(this, 'postgres_dsn', {
      value: e.postgresDsn,
      description: 'PostgreSQL, without the password',
    });
  }
}
