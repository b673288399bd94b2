// Small pieces the constructs share: labels, env lists.
import { labelsFor, type ProjectScope } from '../../src/model/names-and-endpoints.js';
import type { ServiceName } from '../../src/model/services.js';
import type { ContainerLabels } from '@cdktf/provider-docker/lib/container/index.js';

/** The project/stack/service (and instance) labels as the provider's label blocks. */
export function labelBlocks(project: ProjectScope, service?: ServiceName, instance?: string): ContainerLabels[] {
  return Object.entries(labelsFor(project, service, instance)).map(([label, value]) => ({ label, value }));
}

/** KEY=value pairs as the provider's env list, in a stable order. */
export const envList = (env: Readonly<Record<string, string | number>>): string[] =>
  Object.entries(env).map(([k, v]) => `${k}=${v}`);

/** Docker's embedded DNS server on user-defined networks: nginx looks names up again there after a container is replaced. */
export const DOCKER_DNS = '127.0.0.11';
