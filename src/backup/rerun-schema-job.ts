// Runs the stack's schema job container again (temporal-config/schema-setup.sh, idempotent): after a
// restore it brings a backup's older schema up to the configured server's, as at every start.
import type { ClusterConfig } from '../config/schema.js';
import { withStackDocker, type Env } from '../docker/client.js';
import { demux } from '../docker/container-exec.js';
import { listWith } from '../docker/containers.js';
import { OperationError } from '../errors.js';
import { sleep } from '../sleep.js';

/** Starts the schema job and waits until it exits; exit 0 or an OperationError with its last log lines. */
export function rerunSchemaJob(c: ClusterConfig, env: Env, timeoutMs = 300_000): Promise<void> {
  return withStackDocker(c, env, async (docker) => {
    const job = (await listWith(docker, c)).find((s) => s.service === 'schema');
    if (!job)
      throw new OperationError(`the schema job container of ${c.TEMPORAL_PROJECT} is missing`, {
        hint: 'run `temporal-ctl start` (it recreates it and updates the schema)',
      });
    const container = docker.getContainer(job.id);
    const since = Math.floor(Date.now() / 1000);
    await container.start();
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const state = (await container.inspect()).State;
      if (!state.Running) {
        if (state.ExitCode === 0) return;
        const raw = (await container.logs({ stdout: true, stderr: true, since, tail: 10 })) as unknown as Buffer;
        const { stdout, stderr } = demux(raw);
        throw new OperationError(
          `the schema job (${job.name}) failed with exit code ${state.ExitCode}: ${`${stdout}${stderr}`.trim().split('\n').slice(-4).join(' | ')}`,
          { hint: `see \`temporal-ctl logs schema\`` },
        );
      }
      if (performance.now() > deadline)
        throw new OperationError(`the schema job (${job.name}) did not finish within ${timeoutMs / 1000}s`);
      await sleep(500);
    }
  });
}
