// Reads temporal.env from disk and applies precedence: flag > environment > file > default.
import { existsSync, statSync } from 'node:fs';
import { readRegularFile } from './regular-file.js';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { withTlsPathsResolved } from '../model/tls-settings.js';
import { parseDotenv } from '../config/dotenv.js';
import { parseConfig } from './parse.js';
import type { Origins } from '../config/origins.js';
import { secretsFileFor } from '../config/secrets.js';
import type { ClusterConfig, ConfigKey } from '../config/schema.js';

export const DEFAULT_ENV_FILE = 'temporal.env';

export interface LoadOptions {
  /** --env-file; an explicitly named file must exist. */
  envFile?: string;
  flags?: Partial<Record<ConfigKey, string>>;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface LoadedConfig {
  config: ClusterConfig;
  origins: Origins;
  /** The env file that was read, if any. */
  envFile?: string;
  /** The user's project: the env file's directory, else the working directory. It owns the state. */
  projectDir: string;
  /** `KEY: message` lines about settings that work but should change (a secret in temporal.env, an exposed port, a readable secrets file). */
  warnings: string[];
}

/** Finds the env file: --env-file, then $TEMPORAL_ENV_FILE, then ./temporal.env. */
export function locateEnvFile(options: LoadOptions): { path?: string; explicit: boolean } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.envFile ?? env.TEMPORAL_ENV_FILE;
  if (named) return { path: resolve(cwd, named), explicit: true };
  // Never the package's own temporal.env: an installed temporal-ctl would keep its state in node_modules.
  const local = resolve(cwd, DEFAULT_ENV_FILE);
  return existsSync(local) ? { path: local, explicit: false } : { explicit: false };
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const located = locateEnvFile(options);
  let file: { path: string; values: Record<string, string> } | undefined;
  if (located.path) {
    if (!existsSync(located.path)) {
      throw new ConfigError(
        [`env file ${located.path} does not exist; create it or drop --env-file / TEMPORAL_ENV_FILE`],
        located.path,
      );
    }
    file = { path: located.path, values: readDotenvFile(located.path) };
  }
  const projectDir = located.path ? dirname(located.path) : resolve(options.cwd ?? process.cwd());
  const secrets = readSecretsFile(located.path ?? resolve(projectDir, DEFAULT_ENV_FILE));
  const result = parseConfig({
    flags: options.flags,
    env: options.env ?? process.env,
    file,
    secrets,
    // A relative KEY_FILE path is the project's, like TEMPORAL_STATE_DIR.
    readFile: (path) => readRegularFile(resolve(projectDir, path)),
  });
  if (!result.ok) throw new ConfigError(result.errors, located.path ?? 'environment and defaults');
  return {
    config: withTlsPathsResolved(result.config, result.origins, projectDir, resolve(options.cwd ?? process.cwd())),
    origins: result.origins,
    envFile: located.path,
    projectDir,
    warnings: [...result.warnings, ...secrets.warnings],
  };
}

/** The secrets file beside the env file (temporal.secrets.env), empty when there is none. */
function readSecretsFile(envFile: string) {
  const path = secretsFileFor(envFile);
  if (!existsSync(path)) return { path, values: {}, warnings: [] };
  const values = readDotenvFile(path);
  const { mode } = statSync(path);
  const warnings =
    mode & 0o077 ? [`${path}: other users can read it (mode ${(mode & 0o777).toString(8)}); chmod 600 ${path}`] : [];
  return { path, values, warnings };
}

/** A dotenv file's values; a malformed line, or a path that is no regular file, is a config error naming the file. */
function readDotenvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { kind?: string };
    throw new ConfigError(
      [
        `${path} cannot be read as an env file (${e.kind ? `it is ${e.kind}` : (e.code ?? e.message)}); name a dotenv file`,
      ],
      path,
    );
  }
  const parsed = parseDotenv(text);
  if (parsed.errors.length > 0) throw new ConfigError(parsed.errors, path);
  return parsed.values;
}
