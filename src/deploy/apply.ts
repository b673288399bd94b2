// terraform apply with machine-readable output (`-json`): every resource change becomes an event,
// and a failure keeps terraform's own error messages (diagnostics), not the JSON lines around them.
import { ExternalCommandError } from '../errors.js';
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
  hook?: { resource?: { addr?: string }; action?: string; elapsed_seconds?: number };
  diagnostic?: { severity?: string; summary?: string; detail?: string };
}

const PHASES: Record<string, ResourceChange['phase']> = {
  apply_start: 'started',
  apply_complete: 'complete',
  apply_errored: 'errored',
};

/** One line of `terraform apply -json` as a resource change, or an error message, or nothing. */
export function readApplyLine(line: string): { change?: ResourceChange; error?: string } {
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
  if (doc.type === 'diagnostic' && doc.diagnostic?.severity === 'error') {
    const d = doc.diagnostic;
    return { error: [d.summary, d.detail].filter(Boolean).join(': ') };
  }
  return {};
}

/**
 * init, then apply without prompts; `replace` lists addresses to recreate. With `planFile` (a plan
 * saved by src/deploy/plan.ts, which took the replacements), exactly that plan is applied.
 */
export async function terraformApply(
  dir: string,
  io: ExecIO,
  replace: readonly string[],
  onChange: (c: ResourceChange) => void,
  planFile?: string,
): Promise<void> {
  await terraformInit(dir, io);
  const errors: string[] = [];
  const args = planFile
    ? [`-chdir=${dir}`, 'apply', '-json', '-input=false', planFile]
    : [`-chdir=${dir}`, 'apply', '-json', '-auto-approve', '-input=false', ...replace.map((a) => `-replace=${a}`)];
  const r = await exec(terraformBinary(io.env), args, automated(io), undefined, (line) => {
    const read = readApplyLine(line);
    if (read.change) onChange(read.change);
    if (read.error) errors.push(read.error);
  });
  if (r.exitCode !== 0) {
    throw new ExternalCommandError(r.command, r.exitCode, (errors.length ? errors.join('\n') : r.stderr).trim(), {
      hint: "nothing was deleted; fix the cause above and run the command again (add --verbose to see terraform's full output)",
    });
  }
}
