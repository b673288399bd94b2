// The construct of each service in the model. Typed over every ServiceName: a service added to
// src/model/services.ts without a construct here does not compile.
import type { Construct } from 'constructs';
import type { Container } from '@cdktf/provider-docker/lib/container/index.js';
import type { Network } from '@cdktf/provider-docker/lib/network/index.js';
import type { Volume } from '@cdktf/provider-docker/lib/volume/index.js';
import type { ClusterConfig } from '../src/config/schema.js';
import type { ServiceName } from '../src/model/services.js';
import { AdminTools } from './constructs/admin-tools.js';
import { Elasticsearch } from './constructs/elasticsearch.js';
import { Postgres } from './constructs/postgres.js';
import { SchemaJob } from './constructs/schema-job.js';
import { TemporalServer } from './constructs/temporal-server.js';
import { WebUi } from './constructs/web-ui.js';

/** What TemporalCluster hands every service's construct. */
export interface ServiceContext {
  readonly config: ClusterConfig;
  /** The docker_image id the container runs. */
  readonly imageId: string;
  readonly network: Network;
  /** The service's named volume, when the model declares one. */
  readonly volume?: Volume;
  /** Containers of the services it starts after (the model's `after`, enabled ones only). */
  readonly after: readonly Container[];
  /** Files read at synth time. */
  readonly files: { readonly schemaScript: () => string; readonly dynamicConfig: () => string };
}

export type ServiceConstruct = (scope: Construct, id: string, ctx: ServiceContext) => { readonly container: Container };
export type ServiceConstructs = { readonly [K in ServiceName]: ServiceConstruct };

export const SERVICE_CONSTRUCTS: ServiceConstructs = {
  postgresql: (scope, id, x) => new Postgres(scope, id, { config: x.config, imageId: x.imageId, network: x.network, volume: x.volume! }),
  elasticsearch: (scope, id, x) => new Elasticsearch(scope, id, { config: x.config, imageId: x.imageId, network: x.network, volume: x.volume! }),
  schema: (scope, id, x) => new SchemaJob(scope, id, { config: x.config, imageId: x.imageId, network: x.network, after: [...x.after], script: x.files.schemaScript() }),
  server: (scope, id, x) => new TemporalServer(scope, id, { config: x.config, imageId: x.imageId, network: x.network, after: [...x.after], dynamicConfig: x.files.dynamicConfig() }),
  ui: (scope, id, x) => new WebUi(scope, id, { config: x.config, imageId: x.imageId, network: x.network, server: x.after[0]! }),
  'admin-tools': (scope, id, x) => new AdminTools(scope, id, { config: x.config, imageId: x.imageId, network: x.network, server: x.after[0]! }),
};
