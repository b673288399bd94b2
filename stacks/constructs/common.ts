// Small pieces the constructs share: labels, env lists, literal file content.
import { labelsFor, type ProjectScope } from '../../src/config/derive.js';
import type { ServiceName } from '../../src/model/services.js';
import type { ContainerLabels } from '@cdktf/provider-docker/lib/container/index.js';

/** The project/stack/service labels as the provider's label blocks. */
export function labelBlocks(project: ProjectScope, service?: ServiceName): ContainerLabels[] {
  return Object.entries(labelsFor(project, service)).map(([label, value]) => ({ label, value }));
}

/** KEY=value pairs as the provider's env list, in a stable order. */
export const envList = (env: Readonly<Record<string, string | number>>): string[] =>
  Object.entries(env).map(([k, v]) => `${k}=${v}`);

/**
 * File content as a literal in Terraform JSON: `${` and `%{` would start interpolation and
 * directives, so they are doubled. (Fn.rawString also escapes newlines, which in JSON syntax would
 * reach the file as a literal backslash-n.)
 */
export const terraformLiteral = (text: string): string =>
  text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
