// terraform plan into a saved plan file, read back with `terraform show -json`: what `plan` shows
// and what `start` applies (the file, so what was shown is what is applied). A plan that would
// destroy a volume stops at its prevent_destroy; that error becomes one sentence naming the volume.
import { join } from 'node:path';
import { ExternalCommandError, InterruptedError, OperationError } from '../errors.js';
import { exec, type ExecIO } from './exec.js';
import { summarizePlan, type ClusterPlan, type TerraformPlanJson } from './plan-summary.js';
import { automated, terraform, terraformBinary, terraformInit } from './terraform.js';

export interface SavedPlan {
  /** The plan file terraform wrote (in the stack directory, which only the owner can read). */
  readonly file: string;
  readonly plan: ClusterPlan;
}

/** The plan file's name in the stack directory. */
export const PLAN_FILE = 'temporal-ctl.tfplan';

export interface PlanOptions {
  /** Addresses to recreate (`-replace`). @default - none */
  readonly replace?: readonly string[];
  /** Plan only these addresses and what they depend on (`-target`). @default - the whole stack */
  readonly target?: readonly string[];
  /** The Docker name of a volume, from its Terraform address, for messages. @default - the address */
  readonly volumeName?: (address: string) => string;
}

/** init, then plan into the stack directory's plan file, then read it back. */
export async function terraformPlan(dir: string, io: ExecIO, options: PlanOptions = {}): Promise<SavedPlan> {
  const replace = options.replace ?? [];
  await terraformInit(dir, io);
  const errors: { summary: string; detail: string }[] = [];
  const args = [
    `-chdir=${dir}`,
    'plan',
    '-json',
    '-input=false',
    `-out=${PLAN_FILE}`,
    ...replace.map((a) => `-replace=${a}`),
    ...(options.target ?? []).map((a) => `-target=${a}`),
  ];
  // -json: diagnostics come as summary and detail, without the source snippet (the whole synthesized
  // stack, in one line, for a cdk.tf.json).
  const r = await exec(terraformBinary(io.env), args, automated(io), undefined, (line) => {
    const d = diagnostic(line);
    if (d) errors.push(d);
  });
  if (r.interrupted)
    throw new InterruptedError(r.interrupted.signal, 'interrupted during terraform plan: nothing was changed', {
      hint: 'the same temporal-ctl command again starts over',
    });
  if (r.exitCode !== 0) {
    const volume = errors.map((e) => preventedVolume(e.detail)).find(Boolean);
    if (volume) throw volumeRefusal(options.volumeName?.(volume) ?? volume);
    const text = errors.map((e) => [e.summary, e.detail].filter(Boolean).join(': ')).join('\n');
    throw new ExternalCommandError(r.command, r.exitCode, (text || r.stderr).trim(), {
      hint: "nothing was changed; fix the cause above and run the command again (add --verbose to see terraform's full output)",
    });
  }
  const json = await terraform(dir, ['show', '-json', PLAN_FILE], { ...io, verbose: false });
  return { file: join(dir, PLAN_FILE), plan: summarizePlan(JSON.parse(json) as TerraformPlanJson) };
}

/** The refusal for a plan that would delete or replace a volume (by its Terraform address or Docker name). */
export function volumeRefusal(volume: string): OperationError {
  return new OperationError(
    `refusing to apply: terraform would delete and recreate volume ${volume}, and its data with it; start never deletes a volume`,
    {
      hint: 'undo the change that forces it (`temporal-ctl plan` shows it), or back the data up and remove everything with `temporal-ctl down --volumes`',
    },
  );
}

function diagnostic(line: string): { summary: string; detail: string } | undefined {
  try {
    const doc = JSON.parse(line) as {
      type?: string;
      diagnostic?: { severity?: string; summary?: string; detail?: string };
    };
    const d = doc.type === 'diagnostic' && doc.diagnostic?.severity === 'error' ? doc.diagnostic : undefined;
    return d && { summary: d.summary ?? '', detail: d.detail ?? '' };
  } catch {
    return undefined;
  }
}

/** `Resource docker_volume.postgres_data has lifecycle.prevent_destroy set, but the plan calls for ...`. */
const preventedVolume = (detail: string): string | undefined =>
  /Resource (docker_volume\.\w+) has lifecycle\.prevent_destroy/.exec(detail)?.[1];
