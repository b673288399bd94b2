// The settings a worker on the host connects with, printed by start and `config env`'s users.
import type { ClusterConfig } from '../config/schema.js';
import { clientTlsFilesOnHost, sdkTlsEnv } from '../tls/client-tls-env.js';
import type { ClientEnv } from './events.js';

/** What a worker on the host needs: address, namespace and (TEMPORAL_TLS on) the TLS files, envconfig names. */
export function clientEnv(config: ClusterConfig): ClientEnv {
  return {
    TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    ...sdkTlsEnv(config, clientTlsFilesOnHost(config)),
  };
}
