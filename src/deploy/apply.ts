// terraform apply with machine-readable output (`-json`): every resource change becomes an event,
// and a failure keeps terraform's own error messages (diagnostics), not the JSON lines around them.
import { formatDuration } from '../config/duration.js';
import { ExternalCommandError, InterruptedError, OperationError } from '../errors.js';
import { instanceOfResource } from '../model/service-facts.js';
import { exec, type ExecIO } from './exec.js';
import { terraformBinary, terraformInit, automated } from './terraform.js';

export type ResourceAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'noop';

export interface ResourceChange {
  /** Terraform address, e.g. docker_container.server. */
  readonly address: string;
  readonly action: ResourceAction;
  readonly phase: 'started' | 'complete' | 'errored';
  readonly elapsedSeconds?: number;
}

interface JsonLine {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  change?: { resource?: { addr?: string }; action?: string };
  hook?: { resource?: { addr?: string }; action?: string; elapsed_seconds?: number };
  diagnostic?: { severity?: string; summary?: string; detail?: string };
}

const PHASES: Record<string, ResourceChange['phase']> = {
  apply_start: 'started',
  apply_complete: 'complete',
  apply_errored: 'errored',
};

/** One line of `terraform apply -json` as a resource change, a planned change's address, an error message, or nothing. */
export function readApplyLine(line: string): { change?: ResourceChange; planned?: string; error?: string } {
  let doc: JsonLine;
  try {
    doc = JSON.parse(line) as JsonLine;
  } catch {
    return {};
  }
  const phase = doc.type ? PHASES[doc.type] : undefined;
  if (phase && doc.hook?.resource?.addr) {
    const action = (doc.hook.action ?? 'noop') as ResourceAction;
    return { change: { address: doc.hook.resource.addr, action, phase, elapsedSeconds: doc.hook.elapsed_seconds } };
  }
  if (doc.type === 'planned_change' && doc.change?.resource?.addr && doc.change.action !== 'noop')
    return { planned: doc.change.resource.addr };
  if (doc.type === 'diagnostic' && doc.diagnostic?.severity === 'error') {
    const d = doc.diagnostic;
    return { error: [d.summary, d.detail].filter(Boolean).join(': ') };
  }
  return {};
}

/**
 * init, then apply without prompts; `replace` lists addresses to recreate. With `planFile` (a plan
 * saved by src/deploy/terraform-plan.ts, which took the replacements), exactly that plan is applied. With
 * io.interruptible, a Ctrl-C ends it with an InterruptedError that says what was done; io.abort
 * (start's --timeout) stops it the same way and names what terraform was still waiting for.
 */
export async function terraformApply(
  dir: string,
  io: ExecIO,
  replace: readonly string[],
  onChange: (c: ResourceChange) => void,
  planFile?: string,
  targets: readonly string[] = [],
): Promise<void> {
  await terraformInit(dir, io);
  const errors: string[] = [];
  const progress = new ApplyProgress();
  const args = planFile
    ? [`-chdir=${dir}`, 'apply', '-json', '-input=false', planFile]
    : [
        `-chdir=${dir}`,
        'apply',
        '-json',
        '-auto-approve',
        '-input=false',
        ...replace.map((a) => `-replace=${a}`),
        ...targets.map((a) => `-target=${a}`),
      ];
  // What terraform was doing when the deadline passed (it errors that step on its way out).
  let atDeadline = '';
  io.abort?.addEventListener('abort', () => (atDeadline = progress.slowestText()), { once: true });
  const r = await exec(terraformBinary(io.env), args, automated(io), undefined, (line) => {
    const read = readApplyLine(line);
    if (read.planned) progress.planned.add(read.planned);
    if (read.change) {
      progress.record(read.change);
      onChange(read.change);
    }
    if (read.error) errors.push(read.error);
  });
  if (r.interrupted) throw new InterruptedError(r.interrupted.signal, progress.interruptedText(r.interrupted.killed));
  if (r.aborted) {
    throw new OperationError(`--timeout ran out during terraform apply, ${atDeadline || progress.slowestText()}`, {
      hint: 'terraform stopped after the step in progress and saved its state; `temporal-ctl status` and `temporal-ctl logs` show why it is slow; `temporal-ctl start` (with a longer --timeout) continues',
    });
  }
  if (r.exitCode !== 0) {
    throw new ExternalCommandError(r.command, r.exitCode, (errors.length ? errors.join('\n') : r.stderr).trim(), {
      hint: "nothing was deleted; fix the cause above and run the command again (add --verbose to see terraform's full output)",
    });
  }
}

/** What an apply planned, finished and still has in progress: the state an interrupt leaves. */
export class ApplyProgress {
  readonly planned = new Set<string>();
  private readonly done: string[] = [];
  private readonly started = new Map<string, number>();
  /** Changes that errored: on an interrupt, the ones cut short. */
  private readonly errored = new Set<string>();

  record(c: ResourceChange, now = performance.now()): void {
    if (c.phase === 'started') this.started.set(c.address, now);
    else this.started.delete(c.address);
    if (c.phase === 'complete') this.done.push(c.address);
    if (c.phase === 'errored') this.errored.add(c.address);
  }

  /**
   * One line: what is done, what was cut short, what the next start does. The provider gives up a
   * container it is creating when terraform stops it (the create errors before it is recorded), so a
   * cut change may leave one outside the state even after a clean stop; the next start removes it.
   */
  interruptedText(killed: boolean): string {
    const total = Math.max(this.planned.size, this.done.length);
    const done = `${this.done.length} of ${total} changes done${doneDetail(this.done)}`;
    const cut = [...new Set([...this.errored, ...this.started.keys()])].map(readable);
    const left = cut.length ? `; ${cut.join(', ')} was cut short and may be left outside the state` : '';
    return killed
      ? `interrupted: terraform was killed with ${done}${left}; the next \`temporal-ctl start\` removes such leftovers and continues`
      : `interrupted: terraform stopped after the step in progress and saved its state with ${done}${left}; the next \`temporal-ctl start\` continues from there`;
  }

  /** The change in progress for longest, e.g. "still waiting for server (for 2m3s, the slowest)". */
  slowestText(now = performance.now()): string {
    const [address, since] = [...this.started.entries()].sort((a, b) => a[1] - b[1])[0] ?? [];
    if (address === undefined || since === undefined) return 'with no change in progress';
    return `still waiting for ${readable(address)} (for ${formatDuration(Math.round((now - since) / 1000) * 1000)}, the slowest)`;
  }
}

/** " (services postgresql, schema; 6 other resources)": the containers by name, the rest counted. */
function doneDetail(done: readonly string[]): string {
  const services = done.flatMap((a) => serviceOf(a) ?? []);
  const others = done.length - services.length;
  const parts = [
    ...(services.length ? [`services ${services.join(', ')}`] : []),
    ...(others ? [`${others} other resource${others === 1 ? '' : 's'}`] : []),
  ];
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The service whose container has this Terraform address, if any. */
const serviceOf = (address: string) => instanceOfResource(address.replace(/^docker_container\./, ''))?.name;

/** A container's address as its service's name; any other resource as its address. */
const readable = (address: string): string => serviceOf(address) ?? address;
