// The TemporalCluster construct: a self-hosted Temporal cluster on one Docker host, composed of
// one small construct per concern. Everything it names comes from the config (src/config).
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Construct } from 'constructs';
import { dynamicConfigPath } from '../src/config/derive.js';
import { PROJECT_ROOT } from '../src/config/load.js';
import type { ClusterConfig } from '../src/config/schema.js';
import { ConfigError } from '../src/errors.js';
import { AdminTools } from './constructs/admin-tools.js';
import { Elasticsearch } from './constructs/elasticsearch.js';
import { Images } from './constructs/images.js';
import { NetworkAndVolumes } from './constructs/network-and-volumes.js';
import { Postgres } from './constructs/postgres.js';
import { SchemaJob } from './constructs/schema-job.js';
import { TemporalServer } from './constructs/temporal-server.js';
import { WebUi } from './constructs/web-ui.js';

/** The schema job's script, maintained and tested with the test environment. */
export const SCHEMA_SCRIPT_PATH = resolve(PROJECT_ROOT, 'temporal-config', 'schema-setup.sh');

export interface TemporalClusterProps {
  /** The validated cluster config (loadConfig / parseConfig). */
  readonly config: ClusterConfig;
  /** Dynamic config content; default: the file temporal-config/<TEMPORAL_DYNAMIC_CONFIG>. */
  readonly dynamicConfigContent?: string;
  /** Schema job script content; default: temporal-config/schema-setup.sh. */
  readonly schemaScriptContent?: string;
}

export { RESOURCE_IDS } from './resource-ids.js';

export class TemporalCluster extends Construct {
  readonly server: TemporalServer;
  readonly ui: WebUi;

  constructor(scope: Construct, id: string, props: TemporalClusterProps) {
    super(scope, id);
    const c = props.config;
    const images = new Images(this, 'images', c);
    const base = new NetworkAndVolumes(this, 'base', { config: c });
    const network = base.network;
    const postgres = new Postgres(this, 'postgresql', { config: c, imageId: images.idFor('postgresql'), network, volume: base.postgresVolume });
    const stores = [postgres.container];
    let elasticsearch: Elasticsearch | undefined;
    if (base.elasticsearchVolume) {
      elasticsearch = new Elasticsearch(this, 'elasticsearch', { config: c, imageId: images.idFor('elasticsearch'), network, volume: base.elasticsearchVolume });
      stores.push(elasticsearch.container);
    }
    const schema = new SchemaJob(this, 'schema', {
      config: c, imageId: images.idFor('schema'), network, after: stores,
      script: props.schemaScriptContent ?? readRequired(SCHEMA_SCRIPT_PATH, 'temporal-config/schema-setup.sh', 'the schema job script is missing; restore it with `git checkout -- temporal-config/schema-setup.sh`'),
    });
    this.server = new TemporalServer(this, 'server', {
      config: c, imageId: images.idFor('server'), network, after: [schema.container],
      dynamicConfig: props.dynamicConfigContent ?? readRequired(dynamicConfigPath(c), 'TEMPORAL_DYNAMIC_CONFIG', `the dynamic config file temporal-config/${c.TEMPORAL_DYNAMIC_CONFIG} does not exist; create it or set TEMPORAL_DYNAMIC_CONFIG to a file in temporal-config/`),
    });
    this.ui = new WebUi(this, 'ui', { config: c, imageId: images.idFor('ui'), network, server: this.server.container });
    new AdminTools(this, 'admin-tools', { config: c, imageId: images.idFor('admin-tools'), network, server: this.server.container });

  }
}

/** A file the stack needs at synth time; a missing one is a config problem (exit 2), not a crash. */
function readRequired(path: string, key: string, message: string): string {
  if (!existsSync(path)) throw new ConfigError([`${key}: ${message}`], path);
  return readFileSync(path, 'utf8');
}
