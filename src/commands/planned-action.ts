// The shared body of the commands that apply a plan after asking (start, rotate-password): load the
// config, render the lifecycle's events, confirm a disruptive plan by the project name (or --yes).
import type { Context } from '../cli/context.js';
import type { DeployOptions } from '../lifecycle/deploy.js';
import type { LoadedConfig } from '../project/load.js';
import type { Emit } from '../lifecycle/events.js';
import type { Confirm } from '../lifecycle/plan-and-guard.js';

export interface PlannedAction {
  /** --yes: confirm without asking. */
  readonly yes: boolean;
  /** The refusal's hint: what to run instead. */
  readonly refusedHint: string;
  readonly run: (loaded: LoadedConfig, io: DeployOptions['io'], confirm: Confirm, emit: Emit) => Promise<void>;
}

export async function runPlannedAction(ctx: Context, action: PlannedAction): Promise<void> {
  const loaded = ctx.load();
  const [{ renderEvents }, { confirmTyped }] = await Promise.all([
    import('./render-events.js'),
    import('../cli/confirm.js'),
  ]);
  const render = await renderEvents(ctx.out, ctx.json);
  // Ctrl-C during terraform lets it finish its step and save its state (src/deploy/forward-interrupts.ts).
  const io = { env: ctx.env, out: ctx.out, verbose: ctx.verbose, interruptible: true };
  const confirm: Confirm = (what) =>
    confirmTyped(ctx.out, {
      action: what,
      name: loaded.config.TEMPORAL_PROJECT,
      nameIs: 'the project name',
      yes: action.yes,
      untouched: 'nothing was changed',
      hint: action.refusedHint,
    });
  let succeeded = false;
  try {
    await action.run(loaded, io, confirm, render.emit);
    succeeded = true;
  } finally {
    render.finish(succeeded);
  }
}
