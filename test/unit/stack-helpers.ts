// Synthesizes the stack for a config given as KEY=value overrides (the process environment is not read).
import { Testing } from 'cdktf';
import { parseConfig } from '../../src/project/parse.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import { stackName } from '../../src/model/names-and-endpoints.js';
import { TemporalStack, type TemporalStackProps } from '../../stacks/temporal-stack.js';
import { testingApp } from './testing-app.js';

export interface Synthesized {
  config: ClusterConfig;
  /** The Terraform JSON as cdktf's Testing returns it. */
  json: string;
  resources: Record<string, Record<string, any>>;
  outputs: Record<string, { value: string }>;
  container(id: string): any;
  /** A container's env as a map. */
  env(id: string): Record<string, string>;
  labels(id: string, type?: string): Record<string, string>;
}

export function configFrom(env: Record<string, string> = {}): ClusterConfig {
  const result = parseConfig({ env });
  if (!result.ok) throw new Error(`test config is invalid: ${result.errors.join('; ')}`);
  return result.config;
}

export function synth(env: Record<string, string> = {}, extra: Omit<TemporalStackProps, 'config'> = {}): Synthesized {
  const config = configFrom(env);
  const app = testingApp();
  const stack = new TemporalStack(app, stackName(config), { config, ...extra });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  const resources = parsed.resource as Record<string, Record<string, any>>;
  const container = (id: string) => {
    const c = resources.docker_container?.[id];
    if (!c) throw new Error(`no docker_container.${id}`);
    return c;
  };
  return {
    config,
    json,
    resources,
    outputs: parsed.output,
    container,
    env: (id) =>
      Object.fromEntries(
        container(id).env.map((e: string) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      ),
    labels: (id, type = 'docker_container') =>
      Object.fromEntries(resources[type]![id]!.labels.map((l: { label: string; value: string }) => [l.label, l.value])),
  };
}
