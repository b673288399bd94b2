// Ctrl-C (SIGINT), SIGTERM or SIGHUP while terraform changes the cluster. Terraform runs in a process group
// of its own, so a terminal's Ctrl-C reaches only temporal-ctl, which forwards it once as SIGINT:
// terraform then lets the operations in progress finish, writes its state and exits. Killing it
// instead (or letting it die with its stdout pipe, as before) can leave a container that terraform
// created but never recorded. A second signal kills it anyway, after a warning.
import type { ChildProcess } from 'node:child_process';
import { INTERRUPTING } from '../errors.js';

export type InterruptNotice =
  | { readonly kind: 'forwarded'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'killed'; readonly signal: NodeJS.Signals };

export interface InterruptWatch {
  /** The first signal received while watching; undefined when none came. */
  readonly received: () => NodeJS.Signals | undefined;
  /** Whether a second signal killed the program. */
  readonly killed: () => boolean;
  /** The program ended: signals get their default behaviour back, unless one came (then they are ignored). */
  readonly stop: () => void;
}

const SIGNALS = INTERRUPTING;

/**
 * Forwards the first SIGINT/SIGTERM/SIGHUP to `child`'s process group (spawned detached) as SIGINT, and
 * SIGKILLs the group on the second. `notify` is called once per signal, before acting on it.
 */
export function forwardInterrupts(child: ChildProcess, notify: (n: InterruptNotice) => void): InterruptWatch {
  let first: NodeJS.Signals | undefined;
  let killedIt = false;
  const toGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already: nothing left to stop.
    }
  };
  let ended = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (ended) return; // temporal-ctl reports the interrupt and exits; nothing left to stop
    if (first === undefined) {
      first = signal;
      notify({ kind: 'forwarded', signal });
      toGroup('SIGINT');
      return;
    }
    killedIt = true;
    notify({ kind: 'killed', signal });
    toGroup('SIGKILL');
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    received: () => first,
    killed: () => killedIt,
    stop: () => {
      ended = true;
      // After an interrupt, further ones are absorbed until temporal-ctl has said what state it left
      // and exited (the listeners keep nothing alive); without one, signals get their default back.
      if (first === undefined) for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
