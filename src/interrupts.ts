// Ctrl-C (SIGINT), SIGTERM or SIGHUP (a dropped terminal) at any point of `start` or `down`, not only while terraform runs
// (src/deploy/forward-interrupts.ts forwards those to terraform, and apply/destroy say what terraform did).
// The lifecycle names the state each step leaves the cluster in; a signal ends the step in progress
// (a step that takes an AbortSignal stops, any other is abandoned) and becomes an InterruptedError
// with that state and what to run next (exit 130; 143 for SIGTERM, 129 for SIGHUP). A second signal ends
// temporal-ctl at once, as it would without this watch (during terraform, it kills terraform).
import { INTERRUPTING, InterruptedError } from './errors.js';

const SIGNALS = INTERRUPTING;

export interface Interrupts {
  /** Aborted by the first signal; reason = the signal's name. */
  readonly signal: AbortSignal;
  /** Names the state an interrupt from now on leaves and what to run then; throws when one came already. */
  at(state: InterruptState): void;
  /**
   * Runs a step that is not terraform: a signal ends it at once with the interrupt (the step gets
   * `signal` to stop its work). Terraform steps run plainly: they must finish their step first.
   */
  during<T>(state: InterruptState, step: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** The error to end with: an interrupt says where it came, anything else passes unchanged. */
  explain(error: unknown): unknown;
  /** Gives the signals their default behaviour back. */
  stop(): void;
}

export interface InterruptState {
  /** When it came, e.g. "while waiting for health". */
  readonly when: string;
  /** What state the cluster is in then, and the command that goes on. */
  readonly leaves: string;
}

export function watchInterrupts(initial: InterruptState): Interrupts {
  const controller = new AbortController();
  let state = initial;
  const onSignal = (signal: NodeJS.Signals) => {
    off(); // a second signal: the default (end now), or terraform's forwarder kills terraform
    controller.abort(signal);
  };
  const off = () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const interrupted = () =>
    new InterruptedError(controller.signal.reason as NodeJS.Signals, `interrupted ${state.when}: ${state.leaves}`);
  const at = (next: InterruptState) => {
    if (controller.signal.aborted) throw interrupted();
    state = next;
  };
  return {
    signal: controller.signal,
    at,
    async during(next, step) {
      at(next);
      const onAbort = { reject: (_: unknown) => undefined as unknown };
      const aborted = new Promise<never>((_, reject) => {
        onAbort.reject = reject;
      });
      const listener = () => onAbort.reject(interrupted());
      controller.signal.addEventListener('abort', listener, { once: true });
      try {
        return await Promise.race([step(controller.signal), aborted]);
      } finally {
        controller.signal.removeEventListener('abort', listener);
      }
    },
    explain(error) {
      if (error instanceof InterruptedError || !controller.signal.aborted) return error;
      return interrupted();
    },
    stop: off,
  };
}

/** For callers that keep the default signal behaviour (library use, tests): never interrupted. */
export function ignoreInterrupts(): Interrupts {
  const signal = new AbortController().signal;
  return { signal, at: () => undefined, during: (_, step) => step(signal), explain: (e) => e, stop: () => undefined };
}

/**
 * Runs `steps` with interrupts watched (when `interruptible`, i.e. the CLI owns the signals): a signal at
 * any point ends it with an error saying what state the cluster is in.
 */
export async function withInterrupts<T>(
  interruptible: boolean | undefined,
  initial: InterruptState,
  steps: (interrupts: Interrupts) => Promise<T>,
): Promise<T> {
  const interrupts = interruptible ? watchInterrupts(initial) : ignoreInterrupts();
  try {
    return await steps(interrupts);
  } catch (error) {
    throw interrupts.explain(error);
  } finally {
    interrupts.stop();
  }
}

// What an interrupt at each step of `start` leaves (terraform apply says itself what it did).
export const BEFORE_APPLY: InterruptState = {
  when: 'before terraform changed anything',
  leaves:
    'the cluster is as it was (containers stopped by `temporal-ctl stop` may be running again); `temporal-ctl start` starts over',
};
export const DURING_APPLY: InterruptState = {
  when: 'right after terraform apply',
  leaves: 'the changes are applied; `temporal-ctl status` shows the services, `temporal-ctl start` waits for them',
};
export const WAITING: InterruptState = {
  when: 'while waiting for health',
  leaves:
    'the containers keep running; `temporal-ctl status` shows them, `temporal-ctl start` resumes (and ensures the namespaces)',
};
export const NAMESPACES: InterruptState = {
  when: 'while ensuring the namespaces',
  leaves: 'the cluster runs; `temporal-ctl start` ensures the namespaces again (it creates only what is missing)',
};

// ... and of `down` (terraform destroy says itself what it did).
export const BEFORE_REMOVAL: InterruptState = {
  when: 'before anything was removed',
  leaves: 'the cluster is as it was',
};
export const REMOVING: InterruptState = {
  when: 'while removing the containers',
  leaves: 'some may be left, the volumes are kept; `temporal-ctl down` again removes the rest',
};
export const DELETING_VOLUMES: InterruptState = {
  when: 'while deleting the volumes',
  leaves: 'the containers are gone, some volumes may be left; `temporal-ctl down --volumes` again deletes the rest',
};
