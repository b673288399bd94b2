// `temporal-ctl plan [--detailed-exitcode]`: what `start` would change, in the cluster's terms
// (src/lifecycle/plan-and-guard.ts synthesizes and runs terraform plan; this parses and renders).
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import { example } from './help.js';

interface PlanFlags {
  detailedExitcode?: boolean;
}

/** `--detailed-exitcode`: changes are pending (terraform's 2 is our usage error, so 3). */
export const CHANGES_PENDING = 3;

export function registerPlan(program: Command, ctx: Context): void {
  program
    .command('plan')
    .description(
      'show what `start` would change: per service, volume and network create, update in place, replace or delete, and what forces a replace',
    )
    .option('--detailed-exitcode', `exit ${CHANGES_PENDING} when changes are pending (0: none, 1: failed, 2: usage)`)
    .addHelpText('after', example('temporal-ctl plan', 'temporal-ctl plan --output json --detailed-exitcode'))
    .action(async (flags: PlanFlags) => {
      const loaded = ctx.load();
      const [{ planStack, stoppedContainers }, { planLines }] = await Promise.all([
        import('../lifecycle/plan-and-guard.js'),
        import('./plan-render.js'),
      ]);
      const warnings: string[] = [];
      const emit = (e: LifecycleEvent) => {
        if (e.type === 'warning') warnings.push(e.message);
        if (e.type === 'state-moved') ctx.out.info(`moved the Terraform state from ${e.from} to ${e.to}`);
      };
      const io = { env: ctx.env, out: ctx.out, verbose: ctx.verbose };
      const { plan } = await planStack(loaded, io, emit);
      const stopped = await stoppedContainers(loaded.config, ctx.env);
      if (stopped.length)
        warnings.push(
          `${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} stopped, so terraform plans to replace or change ${stopped.length === 1 ? 'it' : 'them'}; \`temporal-ctl start\` resumes stopped containers before it plans, and changes less`,
        );
      // What start would refuse before terraform runs: another profile holding the project's Docker names.
      const { otherStacksOfProject, otherProfileMessage } = await import('../docker/profiles.js');
      const [other] = await otherStacksOfProject(loaded.config, ctx.env).catch(() => []);
      if (other)
        warnings.push(`\`temporal-ctl start\` would refuse: ${otherProfileMessage(loaded.config, other).message}`);
      const { stackName } = await import('../model/names-and-endpoints.js');
      const stack = stackName(loaded.config);
      if (ctx.json) {
        ctx.out.json({ stack, pending: plan.pending, changes: plan.changes, warnings });
      } else {
        for (const w of warnings) ctx.out.warn(w);
        for (const line of planLines(ctx.out, stack, plan)) ctx.out.line(line);
      }
      if (flags.detailedExitcode && plan.pending) ctx.exitCode = CHANGES_PENDING;
    });
}
