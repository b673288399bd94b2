// backup, a workflow started after it, restore: the shared round trip of the suites whose data
// paths go over the cluster network (swarm, external PostgreSQL). The server's own answer decides:
// the later workflow is unknown after the restore, the one parked before the backup is back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Manifest } from '../../src/backup/manifest.js';
import { json, tail } from '../support/cli.js';
import type { TestEnv } from '../support/env.js';
import type { E2eRun } from './fixture.js';
import { type ClientEnv, signalWorker, temporalCli } from './worker.js';

export interface RoundTrip {
  readonly manifest: Manifest;
  readonly backupMs: number;
  readonly restoreMs: number;
}

export async function backupRestoreRoundTrip(
  run: E2eRun,
  env: TestEnv,
  client: ClientEnv,
  parkedId: string,
  timeout: string,
): Promise<RoundTrip> {
  const file = join(run.tmp, 'round-trip.tctl-backup');
  const backup = await run.ctl(['backup', file, '-o', 'json']);
  assert.equal(backup.code, 0, tail(backup));
  const later = `${parkedId}-after-backup`;
  const started = await signalWorker(env, client, 'start', later);
  assert.equal(started.code, 0, started.stderr);
  const restore = await run.ctl(
    ['restore', file, '--yes', '--timeout', timeout],
    60_000 + Number.parseInt(timeout, 10) * 1000,
  );
  assert.equal(restore.code, 0, tail(restore));
  const gone = await temporalCli(env, client, ['workflow', 'describe', '-w', later]);
  assert.notEqual(gone.code, 0, 'the workflow started after the backup is gone');
  const kept = await temporalCli(env, client, ['workflow', 'describe', '-w', parkedId]);
  assert.equal(kept.code, 0, kept.stderr);
  return { manifest: json<{ manifest: Manifest }>(backup).manifest, backupMs: backup.ms, restoreMs: restore.ms };
}
