// A plan in the cluster's terms as text lines: what `plan` prints and what `start` shows before it
// applies. One line per change: the service (or volume, network, image), the action, and for a
// replace what forces it, for an update in place which attributes change.
import type { ClusterPlan, PlannedAction, PlannedChange } from '../lifecycle/plan-and-guard.js';
import type { Output } from '../output.js';

const ACTION_TEXT: Record<PlannedAction, string> = {
  create: 'create',
  update: 'update in place',
  replace: 'replace',
  delete: 'delete',
};

/** The heading and one line per change. */
export function planLines(out: Output, stack: string, plan: ClusterPlan): string[] {
  if (!plan.pending) return [`stack ${stack}: no changes, the cluster runs as configured`];
  if (!plan.changes.length) return [`stack ${stack}: only Terraform outputs change`];
  const count = plan.changes.length;
  const subjects = plan.changes.map(subject);
  const width = Math.max(...subjects.map((s) => s.length));
  return [
    `stack ${stack}: ${count} change${count === 1 ? '' : 's'}`,
    ...plan.changes.map((c, i) => `  ${subjects[i]!.padEnd(width)}  ${action(out, c)}${reason(c)}`),
  ];
}

function subject(c: PlannedChange): string {
  return c.kind === 'service' ? c.name : `${c.kind} ${c.name}`;
}

function action(out: Output, c: PlannedChange): string {
  const text = ACTION_TEXT[c.action];
  if (c.action === 'create') return out.color.green(text);
  if (c.action === 'update') return out.color.yellow(text);
  return out.color.red(text);
}

/** `env` names the variables: `env: POSTGRES_PASSWORD`. */
export function forcedBy(c: Pick<PlannedChange, 'forcedBy' | 'changedEnv'>): string {
  return (c.forcedBy ?? [])
    .map((p) => (p === 'env' && c.changedEnv?.length ? `env: ${c.changedEnv.join(', ')}` : p))
    .join('; ');
}

function reason(c: PlannedChange): string {
  if (c.requested) return ' (requested: it failed last time and runs again)';
  if (c.tainted) return ' (its create did not finish last time: it is created again)';
  if (c.forcedBy?.length) return ` (forced by ${forcedBy(c)})`;
  if (c.attributes?.length) return ` (${c.attributes.join(', ')})`;
  return '';
}
