// Where a project's files live. The user's project directory (the env file's) owns the state: the
// Terraform state and the synthesized stack under TEMPORAL_STATE_DIR, and optional overrides of
// temporal-config/ files. The installed package only supplies the default temporal-config/ files.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stackName } from '../model/names-and-endpoints.js';
import { ConfigError } from '../errors.js';
import { PROJECT_ROOT } from '../installed-package.js';
import type { ClusterConfig } from '../config/schema.js';

export interface ProjectPaths {
  /** The user's project directory. */
  readonly dir: string;
  /** TEMPORAL_STATE_DIR, resolved. */
  readonly stateDir: string;
  /** The Terraform state of this project's stack (cdktf's local backend). */
  readonly stateFile: string;
  /** Where the stack is synthesized (`cdktf.out` inside the state directory). */
  readonly outdir: string;
  /** The synthesized stack's directory, where terraform runs. */
  readonly stackDir: string;
}

export function projectPaths(c: ClusterConfig, projectDir: string): ProjectPaths {
  const stateDir = resolve(projectDir, c.TEMPORAL_STATE_DIR);
  const outdir = join(stateDir, 'cdktf.out');
  return {
    dir: projectDir,
    stateDir,
    stateFile: join(stateDir, `terraform.${stackName(c)}.tfstate`),
    outdir,
    stackDir: join(outdir, 'stacks', stackName(c)),
  };
}

/** A temporal-config/ file: the project's own copy when it has one, else the package's default. */
export function configFile(projectDir: string, name: string): string {
  const own = resolve(projectDir, 'temporal-config', name);
  return existsSync(own) ? own : resolve(PROJECT_ROOT, 'temporal-config', name);
}

/** The files the stack uploads into containers, read at synth time from the project or the package. */
export function stackFiles(
  c: ClusterConfig,
  projectDir: string,
): { schemaScriptContent: string; dynamicConfigContent: string } {
  return {
    schemaScriptContent: readRequired(
      configFile(projectDir, 'schema-setup.sh'),
      'temporal-config/schema-setup.sh',
      'the schema job script is missing; reinstall temporal-ctl or restore the file',
    ),
    dynamicConfigContent: readRequired(
      configFile(projectDir, c.TEMPORAL_DYNAMIC_CONFIG),
      'TEMPORAL_DYNAMIC_CONFIG',
      `the dynamic config file temporal-config/${c.TEMPORAL_DYNAMIC_CONFIG} exists neither in ${projectDir} nor in temporal-ctl; create it or set TEMPORAL_DYNAMIC_CONFIG to a file in temporal-config/`,
    ),
  };
}

/** A file the stack needs; a missing one is a config problem (exit 2), not a crash. */
function readRequired(path: string, key: string, message: string): string {
  if (!existsSync(path)) throw new ConfigError([`${key}: ${message}`], path);
  return readFileSync(path, 'utf8');
}

/** A managed or data resource in a local Terraform state file, as far as temporal-ctl reads it. */
export interface StateResource {
  readonly mode?: string;
  readonly type?: string;
  readonly name?: string;
  readonly instances?: readonly { readonly attributes?: { readonly id?: string; readonly [k: string]: unknown } }[];
}

/**
 * The resources of a local Terraform state file: none without the file or with an empty one (terraform
 * reads an empty file as no state; a terraform killed while writing leaves one), a config error when
 * it is torn.
 */
export function stateResources(stateFile: string): readonly StateResource[] {
  if (!existsSync(stateFile)) return [];
  const text = readFileSync(stateFile, 'utf8');
  if (text.trim() === '') return [];
  try {
    return (JSON.parse(text) as { resources?: StateResource[] }).resources ?? [];
  } catch {
    throw new ConfigError(
      [`${stateFile}: the Terraform state is not valid JSON; restore it from ${stateFile}.backup`],
      stateFile,
    );
  }
}
