// The one-shot schema job: temporalio/admin-tools runs temporal-config/schema-setup.sh (create the
// databases, setup-schema, update-schema, and the Elasticsearch index), idempotently.
//
// How the server waits for it (kreuzwerker/docker 3.x): `attach = true` makes the provider wait for
// the container to stop; `must_run = false` lets a stopped container count as created; the provider
// then records `exit_code` but does not fail on a non-zero one. The postcondition below turns a
// non-zero exit into a failed apply, and the server's depends_on keeps it from being created before.
// A new admin-tools image or script content replaces (reruns) the job, and the server, replaced by
// the same version change, is destroyed first and created after the job: schema before server.
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import { containerName } from '../../src/config/derive.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { envList, labelBlocks, resourceId, terraformLiteral } from './common.js';
import { databaseEnv, SQL_PLUGIN, visibilityEnv } from './temporal-env.js';

/** Where the script lands in the admin-tools container. */
export const SCHEMA_SCRIPT_CONTAINER_PATH = '/etc/temporal/schema-setup.sh';
/** The versioned schema files shipped in temporalio/admin-tools. */
export const SCHEMA_DIR = '/etc/temporal/schema';

export interface SchemaJobProps {
  config: ClusterConfig;
  imageId: string;
  network: Network;
  /** The content of schema-setup.sh. */
  script: string;
  /** Containers that must be healthy before the job starts (PostgreSQL, Elasticsearch). */
  after: Container[];
}

export class SchemaJob extends Construct {
  readonly container: Container;

  constructor(scope: Construct, id: string, props: SchemaJobProps) {
    super(scope, id);
    const c = props.config;
    const env = {
      ...databaseEnv(c),
      SQL_PLUGIN,
      SCHEMA_DIR,
      SQL_VISIBILITY: String(c.TEMPORAL_VISIBILITY === 'postgres'),
      ...visibilityEnv(c),
    };
    this.container = new Container(this, 'container', {
      name: containerName(c, 'schema'),
      image: props.imageId,
      command: ['sh', SCHEMA_SCRIPT_CONTAINER_PATH],
      env: envList(env),
      // The script's ${VAR} must reach the file, not Terraform's interpolation.
      upload: [{ file: SCHEMA_SCRIPT_CONTAINER_PATH, content: terraformLiteral(props.script) }],
      networksAdvanced: [{ name: props.network.name }],
      memory: c.TEMPORAL_ADMINTOOLS_MEMORY.mib,
      restart: 'no',
      attach: true,
      mustRun: false,
      labels: labelBlocks(c, 'schema'),
      dependsOn: props.after,
      lifecycle: {
        postcondition: [{
          condition: '${self.exit_code == 0}',
          errorMessage: `The schema job failed (non-zero exit code). Read its output with \`docker logs ${containerName(c, 'schema')}\`, fix the cause, then deploy again.`,
        }],
      },
    });
    this.container.overrideLogicalId(resourceId('schema'));
  }
}
