// terraform, non-interactive, against the synthesized stack directory.
import { ExternalCommandError, InterruptedError, OperationError, tailLines } from '../errors.js';
import type { Env } from '../docker/client.js';
import { exec, NOT_FOUND, type ExecIO } from './exec.js';

export const MIN_TERRAFORM = [1, 5] as const;

/** TERRAFORM_BINARY_NAME (as cdktf honours it) or terraform on PATH. */
export const terraformBinary = (env: Env): string => env.TERRAFORM_BINARY_NAME || 'terraform';

/** Runs without prompts, without colour codes in captured output, and knows it is automated. */
export function automated(io: ExecIO): ExecIO {
  return { ...io, env: { ...io.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' } }; // no update check over the network
}

export type TerraformCheck = { ok: true; version: string } | { ok: false; problem: string };

/** Is a usable terraform (>= 1.5) there? Never throws. */
export async function checkTerraform(io: ExecIO): Promise<TerraformCheck> {
  const bin = terraformBinary(io.env);
  const fix =
    'install terraform >= 1.5 (https://developer.hashicorp.com/terraform/install) or put it on PATH (or set TERRAFORM_BINARY_NAME)';
  const r = await exec(bin, ['version', '-json'], { ...automated(io), verbose: false }).catch(() => undefined);
  if (!r || r.exitCode === NOT_FOUND || r.exitCode === null)
    return { ok: false, problem: `terraform is not installed ("${bin}" was not found): ${fix}` };
  const version = /"terraform_version"\s*:\s*"([^"]+)"/.exec(r.stdout)?.[1] ?? /Terraform v(\S+)/.exec(r.stdout)?.[1];
  if (r.exitCode !== 0 || !version)
    return { ok: false, problem: `"${bin} version" failed (exit ${r.exitCode}): ${fix}` };
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    return { ok: false, problem: `terraform ${version} is too old: ${fix}` };
  }
  return { ok: true, version };
}

/** `terraform -chdir=DIR <args>`; a failure keeps terraform's exit code and last stderr lines. */
export async function terraform(dir: string, args: string[], io: ExecIO): Promise<string> {
  const bin = terraformBinary(io.env);
  const r = await exec(bin, [`-chdir=${dir}`, ...args, '-no-color'], automated(io));
  // With provider dev_overrides in the CLI config, terraform itself says to skip init (it "may error
  // unexpectedly"); the backend is initialised by then and plan/apply/destroy work.
  if (args[0] === 'init' && r.exitCode !== 0 && /provider development overrides/i.test(r.stdout + r.stderr)) {
    io.out.warn(
      'terraform init failed under provider development overrides (TF_CLI_CONFIG_FILE dev_overrides); continuing as terraform advises',
    );
    return r.stdout;
  }
  if (r.interrupted) {
    const how = r.interrupted.killed
      ? 'terraform was killed in the middle of its step'
      : 'terraform finished the step in progress and saved its state';
    throw new InterruptedError(
      r.interrupted.signal,
      `interrupted during \`terraform ${args[0]}\`: ${how}; the same temporal-ctl command again continues from there`,
    );
  }
  // start's --timeout can run out before the apply, while init fetches the provider or plan reads the state.
  if (r.aborted) {
    throw new OperationError(`--timeout ran out during \`terraform ${args[0]}\``, {
      hint: 'terraform stopped after the step in progress; run the command again with a longer --timeout',
    });
  }
  if (r.exitCode === NOT_FOUND) {
    throw new OperationError(
      `terraform is not installed ("${bin}" was not found): install terraform >= 1.5 or put it on PATH (or set TERRAFORM_BINARY_NAME)`,
    );
  }
  if (r.exitCode !== 0) {
    throw new ExternalCommandError(r.command, r.exitCode, tailLines(r.stderr || r.stdout, 12), {
      hint: "nothing was deleted; fix the cause above and run the command again (add --verbose to see terraform's full output)",
    });
  }
  return r.stdout;
}

/**
 * Idempotent; never asks. A provider lock of another release than the stack pins (after a change of
 * TEMPORAL_DOCKER_PROVIDER_VERSION) makes terraform refuse; the pin is exact, so `init -upgrade`
 * selects exactly the configured release and re-locks it.
 */
export async function terraformInit(dir: string, io: ExecIO): Promise<string> {
  try {
    return await terraform(dir, ['init', '-input=false'], io);
  } catch (error) {
    if (!(error instanceof ExternalCommandError) || !LOCKED_OTHER_RELEASE.test(error.stderrTail.replace(/\s+/g, ' ')))
      throw error;
    io.out.info(
      'the provider lock holds another kreuzwerker/docker release than the stack pins; locking the pinned one',
    );
    return terraform(dir, ['init', '-input=false', '-upgrade'], io);
  }
}

/** terraform's words (wrapped; compared with whitespace collapsed) for a lock that the pin contradicts. */
const LOCKED_OTHER_RELEASE = /locked provider \S+ \S+ does not match configured version constraint/;
