// Runs the stack's schema job container again (temporal-config/schema-setup.sh, idempotent): after a
// restore it brings a backup's older schema up to the configured server's, as at every start.
import type { ClusterConfig } from '../config/schema.js';
import { withStackDocker, type Env } from '../docker/client.js';
import { startAndAwaitExit } from '../docker/container-exec.js';
import { listWith } from '../docker/containers.js';
import { OperationError } from '../errors.js';

/** Starts the schema job and waits until it exits; exit 0 or an OperationError with its last log lines. */
export function rerunSchemaJob(c: ClusterConfig, env: Env, timeoutMs = 300_000): Promise<void> {
  return withStackDocker(c, env, async (docker) => {
    const job = (await listWith(docker, c)).find((s) => s.service === 'schema');
    if (!job)
      throw new OperationError(`the schema job container of ${c.TEMPORAL_PROJECT} is missing`, {
        hint: 'run `temporal-ctl start` (it recreates it and updates the schema)',
      });
    const exit = await startAndAwaitExit(docker, job.id, timeoutMs);
    if (!exit) throw new OperationError(`the schema job (${job.name}) did not finish within ${timeoutMs / 1000}s`);
    if (exit.exitCode !== 0)
      throw new OperationError(
        `the schema job (${job.name}) failed with exit code ${exit.exitCode}: ${exit.output.trim().split('\n').slice(-4).join(' | ')}`,
        { hint: `see \`temporal-ctl logs schema\`` },
      );
  });
}
