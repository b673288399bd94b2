// The one-shot schema job: temporalio/admin-tools runs temporal-config/schema-setup.sh (create the
// databases, setup-schema, update-schema, and the Elasticsearch index), idempotently.
//
// As a one-shot (ServiceContainer) the provider waits for it to stop and a non-zero exit fails the
// apply; the server's depends_on keeps it from being created before. A new admin-tools image or
// script content replaces (reruns) the job, and the server, replaced by the same version change, is
// destroyed first and created after the job: schema before server.
import type { Construct } from 'constructs';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

/** Where the script lands in the admin-tools container. */
export const SCHEMA_SCRIPT_CONTAINER_PATH = '/etc/temporal/schema-setup.sh';

export interface SchemaJobProps extends ServiceProps {
  /** The content of schema-setup.sh. */
  readonly script: string;
  /** The variables the script reads (src/model/temporal-env.ts: schemaJobEnv). */
  readonly environment: Readonly<Record<string, string>>;
  /** Files for reaching the stores over TLS (an external PostgreSQL's CA). @default - none */
  readonly storeTlsFiles?: readonly Upload[];
}

export class SchemaJob extends ServiceContainer {
  constructor(scope: Construct, id: string, props: SchemaJobProps) {
    const { script, environment, storeTlsFiles = [], ...common } = props;
    super(scope, id, {
      ...common,
      service: 'schema',
      command: ['sh', SCHEMA_SCRIPT_CONTAINER_PATH],
      environment,
      // The script's ${VAR} reaches the file, not Terraform's interpolation (the stack's LiteralStrings escapes it).
      uploads: [{ path: SCHEMA_SCRIPT_CONTAINER_PATH, content: script }, ...storeTlsFiles],
    });
  }
}
