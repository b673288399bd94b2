// Every command group, registered in the order `--help` lists them.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { registerConfig } from './config.js';
import { registerNamespaceCommands } from './namespace.js';
import { registerStatus } from './status.js';

export function registerCommands(program: Command, ctx: Context): void {
  registerStatus(program, ctx);
  registerConfig(program, ctx);
  registerNamespaceCommands(program, ctx);
}
