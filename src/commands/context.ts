// What every command gets: output, the global options, and the config loaded once on demand.
import { loadConfig, type LoadedConfig } from '../project/load.js';
import { concealable, SECRET_KEYS } from '../config/secrets.js';
import type { ConfigKey } from '../config/schema.js';
import type { ColorMode, Output } from '../output.js';
import { where } from '../config/origins.js';
import { ConfigError } from '../errors.js';

/** The program's options (src/cli/run.ts), accepted before or after the subcommand. */
export interface GlobalOptions {
  envFile?: string;
  profile?: string;
  /** -o/--output; --json implies json. */
  output?: 'text' | 'json';
  verbose?: boolean;
  color?: ColorMode;
}

export class Context {
  /** A command sets 1 here for "ran fine, but the answer is unhealthy". */
  exitCode = 0;
  private loaded?: LoadedConfig;
  /** Values of the command's flags that set config keys (--address …), above every other source. */
  private configFlags: Partial<Record<ConfigKey, string>> = {};
  /** The running command, and whether it runs against a swarm (CommandSpec.onSwarm). */
  private command?: { readonly name: string; readonly onSwarm: boolean };

  constructor(
    readonly out: Output,
    private readonly globals: () => GlobalOptions,
    readonly env: Record<string, string | undefined>,
  ) {}

  get verbose(): boolean {
    return Boolean(this.globals().verbose);
  }

  /** -o json (or --json): read commands print their JSON document, failures a JSON error. */
  get json(): boolean {
    return this.globals().output === 'json';
  }

  /** The runner names the command before its handler runs. */
  setCommand(name: string, onSwarm: boolean): void {
    this.command = { name, onSwarm };
  }

  /** The runner sets the flags that name config keys before the command's handler runs. */
  setConfigFlags(flags: Partial<Record<ConfigKey, string>>): void {
    this.configFlags = flags;
  }

  /** Loads temporal.env + environment + flags once; throws ConfigError (exit 2) on bad values. */
  load(): LoadedConfig {
    if (!this.loaded) {
      const g = this.globals();
      const all: Partial<Record<ConfigKey, string>> = { ...this.configFlags };
      if (g.profile !== undefined) all.TEMPORAL_PROFILE = g.profile;
      this.loaded = loadConfig({ envFile: g.envFile, flags: all, env: this.env });
      const loaded = this.loaded;
      this.out.conceal(concealable(SECRET_KEYS.map((k) => String(loaded.config[k]))));
      for (const w of this.loaded.warnings) this.out.warn(w);
      if (loaded.config.TEMPORAL_TARGET === 'swarm' && this.command && !this.command.onSwarm)
        throw new ConfigError(
          [
            `TEMPORAL_TARGET: \`temporal-ctl ${this.command.name}\` does not run against a swarm yet (docs/swarm.md lists the commands that do); use TEMPORAL_TARGET=host for it${where(loaded.origins.TEMPORAL_TARGET)}`,
          ],
          'TEMPORAL_TARGET',
        );
    }
    return this.loaded;
  }

  get config() {
    return this.load().config;
  }
}
