// Every command group, registered in the order `--help` lists them.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { registerBackup } from './backup.js';
import { registerCerts } from './certs.js';
import { registerCompletion } from './completion.js';
import { registerConfig } from './config.js';
import { registerImages } from './images.js';
import { registerDown } from './down.js';
import { registerLogs } from './logs.js';
import { registerRestart } from './restart.js';
import { registerRestore } from './restore.js';
import { registerRotatePassword } from './rotate-password.js';
import { registerStart } from './start.js';
import { registerStop } from './stop.js';
import { registerNamespaceCommands } from './namespace.js';
import { registerPlan } from './plan.js';
import { registerStatus } from './status.js';
import { registerTop } from './top.js';
import { registerUpgrade } from './upgrade.js';

export function registerCommands(program: Command, ctx: Context): void {
  registerStart(program, ctx);
  registerPlan(program, ctx);
  registerStop(program, ctx);
  registerRestart(program, ctx);
  registerDown(program, ctx);
  registerUpgrade(program, ctx);
  registerRotatePassword(program, ctx);
  registerLogs(program, ctx);
  registerStatus(program, ctx);
  registerTop(program, ctx);
  registerConfig(program, ctx);
  registerImages(program, ctx);
  registerNamespaceCommands(program, ctx);
  registerCerts(program, ctx);
  registerBackup(program, ctx);
  registerRestore(program, ctx);
  registerCompletion(program, ctx);
}
