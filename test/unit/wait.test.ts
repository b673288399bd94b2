// The wait loop's timing contract (status --wait, start): a service that turns healthy
// is seen within one round interval plus one round, and the timeout is kept. The probe
// is scripted on a clock; the real services are in test/integration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import type { ClusterConfig } from '../../src/config/schema.js';
import type { ServiceName } from '../../src/model/services.js';
import { waitHealthy } from '../../src/probes/wait.js';
import type { Probe } from '../../src/probes/probe.js';

const config = (): ClusterConfig => {
  const parsed = parseConfig({ env: { TEMPORAL_VISIBILITY: 'postgres', TEMPORAL_PROJECT: 'wait' } });
  assert.ok(parsed.ok);
  return parsed.config;
};

/** Services healthy from `at` (performance.now() ms) on; each check takes `cost` ms. */
function probesHealthyFrom(at: number, cost = 20): Probe[] {
  return (['postgresql', 'server', 'ui'] as ServiceName[]).map((service) => ({
    service,
    run: async () => {
      await new Promise((r) => setTimeout(r, cost));
      return performance.now() >= at ? { healthy: true, detail: 'up' } : { healthy: false, detail: 'down' };
    },
  }));
}

describe('waitHealthy', () => {
  it('sees a service turn healthy within 300 ms (rounds every 200 ms)', async () => {
    for (const delay of [450, 530, 610]) {
      const at = performance.now() + delay;
      const result = await waitHealthy(config(), {
        timeoutMs: 5_000,
        probes: probesHealthyFrom(at),
        listContainers: async () => [],
        namespace: false, // fake probes: no frontend to ask (status-namespace.test.ts asks a real one)
      });
      const lag = performance.now() - at;
      assert.equal(result.timedOut, false);
      assert.ok(lag < 300, `detection lag ${Math.round(lag)} ms after a ${delay} ms outage`);
    }
  });

  it('gives up at the timeout with the last round, naming what is still unhealthy', async () => {
    const started = performance.now();
    const rounds: number[] = [];
    const result = await waitHealthy(config(), {
      timeoutMs: 1_000,
      probes: probesHealthyFrom(Infinity),
      listContainers: async () => [],
      onRound: (_, n) => rounds.push(n),
    });
    const took = performance.now() - started;
    assert.equal(result.timedOut, true);
    assert.ok(took >= 990 && took < 1_300, `took ${Math.round(took)} ms`);
    assert.ok(rounds.length >= 4 && rounds.length <= 6, `${rounds.length} rounds`);
    assert.deepEqual(
      result.status.services.filter((s) => !s.healthy).map((s) => s.service),
      ['postgresql', 'server', 'ui'],
    );
  });
});
