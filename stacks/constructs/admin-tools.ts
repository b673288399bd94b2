// A long-running admin-tools container for CLI access, like the reference setup's temporal-cli:
// `docker exec -it <project>-admin-tools temporal operator namespace list`.
import type { Construct } from 'constructs';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

export interface AdminToolsProps extends ServiceProps {
  /** The server's gRPC frontend as `temporal` inside the container reaches it, HOST:PORT. */
  readonly temporalAddress: string;
  /** TLS for `temporal`: Temporal's TEMPORAL_TLS_* variables and the files they name. @default - plaintext */
  readonly tls?: { readonly environment: Readonly<Record<string, string>>; readonly files: readonly Upload[] };
}

export class AdminTools extends ServiceContainer {
  constructor(scope: Construct, id: string, props: AdminToolsProps) {
    const { temporalAddress, tls, ...common } = props;
    // The image's own command (sleep infinity, exits on a signal) keeps it running; no healthcheck:
    // it serves nothing, and the server's health is the server container's to report.
    super(scope, id, {
      ...common,
      service: 'admin-tools',
      environment: { TEMPORAL_ADDRESS: temporalAddress, ...tls?.environment },
      uploads: tls?.files,
    });
  }
}
