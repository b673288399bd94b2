// A long-running admin-tools container for CLI access, like the reference setup's temporal-cli:
// `docker exec -it <project>-admin-tools temporal operator namespace list`.
import type { Construct } from 'constructs';
import { ServiceContainer, type ServiceProps } from './service-container.js';

export interface AdminToolsProps extends ServiceProps {
  /** The server's gRPC frontend as `temporal` inside the container reaches it, HOST:PORT. */
  readonly temporalAddress: string;
}

export class AdminTools extends ServiceContainer {
  constructor(scope: Construct, id: string, props: AdminToolsProps) {
    const { temporalAddress, ...common } = props;
    // The image's own command (sleep infinity, exits on a signal) keeps it running; no healthcheck:
    // it serves nothing, and the server's health is the server container's to report.
    super(scope, id, { ...common, service: 'admin-tools', environment: { TEMPORAL_ADDRESS: temporalAddress } });
  }
}
