// `temporal-ctl plan`: what `start` would change, in the cluster's terms (src/lifecycle/plan.ts
// synthesizes and runs terraform plan; this collects the warnings start would give and renders).
import { stackName } from '../model/names-and-endpoints.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import { CHANGES_PENDING, type Call, type CommandResult } from './spec.js';

export async function plan({ ctx, flags }: Call<object, { detailedExitcode?: boolean }>): Promise<CommandResult> {
  const loaded = ctx.load();
  const [{ planStack, stoppedContainers }, { planLines }, { otherStacksOfProject, otherProfileMessage }] =
    await Promise.all([
      import('../lifecycle/plan-and-guard.js'),
      import('./plan-render.js'),
      import('../docker/profiles.js'),
    ]);
  const warnings: string[] = [];
  const emit = (e: LifecycleEvent) => {
    if (e.type === 'warning') warnings.push(e.message);
  };
  const io = { env: ctx.env, out: ctx.out, verbose: ctx.verbose };
  const { plan } = await planStack(loaded, io, emit);
  const stopped = await stoppedContainers(loaded.config, ctx.env);
  if (stopped.length)
    warnings.push(
      `${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} stopped, so terraform plans to replace or change ${stopped.length === 1 ? 'it' : 'them'}; \`temporal-ctl start\` resumes stopped containers before it plans, and changes less`,
    );
  // What start would refuse before terraform runs: another profile holding the project's Docker names.
  const [other] = await otherStacksOfProject(loaded.config, ctx.env).catch(() => []);
  if (other) warnings.push(`\`temporal-ctl start\` would refuse: ${otherProfileMessage(loaded.config, other).message}`);
  const stack = stackName(loaded.config);
  return {
    document: { stack, pending: plan.pending, changes: plan.changes, warnings },
    text: (out) => {
      for (const w of warnings) out.warn(w);
      for (const line of planLines(out, stack, plan)) out.line(line);
    },
    exitCode: flags.detailedExitcode && plan.pending ? CHANGES_PENDING : 0,
  };
}
