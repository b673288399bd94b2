// Small pieces every service construct shares: labels, published ports, healthchecks, policies.
import { containerName, labelsFor } from '../../src/config/derive.js';
import { containerPort, publishedPorts, serviceDecl } from '../../src/model/derive.js';
import type { ServiceName } from '../../src/model/services.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import type { ContainerHealthcheck, ContainerLabels, ContainerPorts } from '@cdktf/provider-docker/lib/container/index.js';

/** Long-running services come back after a crash or a host reboot, not after `docker stop`. */
export const RESTART_POLICY = 'unless-stopped';

/** The project/stack/service labels as the provider's label blocks. */
export function labelBlocks(c: ClusterConfig, service?: ServiceName): ContainerLabels[] {
  return Object.entries(labelsFor(c, service)).map(([label, value]) => ({ label, value }));
}

/** Host ports of one service, bound to TEMPORAL_PUBLISH_ADDRESS (127.0.0.1 unless the user opts out). */
export function portsFor(c: ClusterConfig, service: ServiceName): ContainerPorts[] {
  return publishedPorts(c)
    .filter((p) => p.service === service)
    .map((p) => ({ internal: p.container, external: p.host, ip: c.TEMPORAL_PUBLISH_ADDRESS, protocol: 'tcp' }));
}

/** A CMD-SHELL healthcheck; `startPeriod` covers first-start work (initdb, JVM, membership). */
export function shellHealthcheck(command: string, startPeriod: string, retries = 10): ContainerHealthcheck {
  return { test: ['CMD-SHELL', command], interval: '10s', timeout: '5s', startPeriod, retries };
}

/** "<container>:<port>" as other containers on the network reach a service. */
export const inNetwork = (c: ClusterConfig, s: ServiceName, port: string): string => `${containerName(c, s)}:${containerPort(s, port)}`;

/** The fixed Terraform id of a service's container (the model's resourceId). */
export const resourceId = (s: ServiceName): string => serviceDecl(s).resourceId;

/** KEY=value pairs as the provider's env list, in a stable order. */
export const envList = (env: Record<string, string | number>): string[] =>
  Object.entries(env).map(([k, v]) => `${k}=${v}`);

/**
 * File content as a literal in Terraform JSON: `${` and `%{` would start interpolation and
 * directives, so they are doubled. (Fn.rawString also escapes newlines, which in JSON syntax would
 * reach the file as a literal backslash-n.)
 */
export const terraformLiteral = (text: string): string => text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
