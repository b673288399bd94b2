// Reads temporal.env from disk and applies precedence: flag > environment > file > default.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { parseDotenv } from './dotenv.js';
import { parseConfig, type Origins } from './parse.js';
import type { ClusterConfig, ConfigKey } from './schema.js';

/** The project checkout (holds temporal-config/ and the default temporal.env). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
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
  /** `KEY: message` lines about settings that work but should change (deprecated key names). */
  warnings: string[];
}

/** Finds the env file: --env-file, then $TEMPORAL_ENV_FILE, then ./temporal.env, then the project's. */
export function locateEnvFile(options: LoadOptions): { path?: string; explicit: boolean } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.envFile ?? env.TEMPORAL_ENV_FILE;
  if (named) return { path: resolve(cwd, named), explicit: true };
  for (const candidate of [resolve(cwd, DEFAULT_ENV_FILE), resolve(PROJECT_ROOT, DEFAULT_ENV_FILE)]) {
    if (existsSync(candidate)) return { path: candidate, explicit: false };
  }
  return { explicit: false };
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const located = locateEnvFile(options);
  let file: { path: string; values: Record<string, string> } | undefined;
  if (located.path) {
    if (!existsSync(located.path)) {
      throw new ConfigError([`env file ${located.path} does not exist; create it or drop --env-file / TEMPORAL_ENV_FILE`], located.path);
    }
    const parsed = parseDotenv(readFileSync(located.path, 'utf8'));
    if (parsed.errors.length > 0) throw new ConfigError(parsed.errors, located.path);
    file = { path: located.path, values: parsed.values };
  }
  const result = parseConfig({ flags: options.flags, env: options.env ?? process.env, file });
  if (!result.ok) throw new ConfigError(result.errors, located.path ?? 'environment and defaults');
  return { config: result.config, origins: result.origins, envFile: located.path, warnings: result.warnings };
}
