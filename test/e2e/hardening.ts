// What the engine made of the stack's hardening, read back with `docker inspect` (the API behind it):
// no-new-privileges, ALL capabilities dropped and only the model's added back, the model's pids limit
// on every long-running container, rotated json-file logs from the config, no swap beyond the memory.
import assert from 'node:assert/strict';
import { containerName } from '../../src/model/names-and-endpoints.js';
import { enabledServices, isOneShot, serviceDecl } from '../../src/model/service-facts.js';
import type { E2eRun } from './fixture.js';

const MIB = 1024 * 1024;

/** Checks every enabled service's container; returns `service: pids in use / limit` lines for the report. */
export async function assertHardened(run: E2eRun): Promise<string[]> {
  const c = run.config;
  const report: string[] = [];
  for (const service of enabledServices(c)) {
    const name = containerName(c, service);
    const decl = serviceDecl(service);
    const info = await run.docker.getContainer(name).inspect();
    const h = info.HostConfig;
    assert.deepEqual(h.SecurityOpt, ['no-new-privileges:true'], `${name} SecurityOpt`);
    assert.deepEqual(h.CapDrop, ['ALL'], `${name} CapDrop`);
    assert.deepEqual([...(h.CapAdd ?? [])].sort(), [...decl.capabilities].sort(), `${name} CapAdd`);
    assert.deepEqual(
      h.LogConfig,
      {
        Type: 'json-file',
        Config: { 'max-size': c.CONTAINER_LOG_MAX_SIZE, 'max-file': String(c.CONTAINER_LOG_MAX_FILES) },
      },
      `${name} LogConfig`,
    );
    assert.equal(h.Memory, decl.memoryMiB(c) * MIB, `${name} Memory`);
    assert.equal(h.MemorySwap, h.Memory, `${name} MemorySwap (no swap)`);
    if (isOneShot(service)) continue; // finished before the deploy could set a pids limit
    assert.equal(h.PidsLimit, decl.pidsLimit, `${name} PidsLimit`);
    const top = await run.docker.getContainer(name).stats({ stream: false });
    const pids = (top as { pids_stats?: { current?: number } }).pids_stats?.current;
    assert.ok(pids !== undefined && pids < decl.pidsLimit / 2, `${name} uses ${pids} of ${decl.pidsLimit} pids`);
    report.push(`${service}: ${pids} pids of ${decl.pidsLimit}`);
  }
  return report;
}
