// Prometheus: GET /-/ready (the TSDB is open and it serves queries), then what it knows of its
// scrape targets (/api/v1/targets), so `status` says whether the server's metrics reach it.
import type { Probe } from './probe.js';
import { endpointUrl } from '../model/service-facts.js';
import { httpGet } from '../http-get.js';
import { isRecord, snippet, unreachable } from './answer-detail.js';

export const prometheusProbe: Probe = {
  service: 'prometheus',
  async run(config, signal) {
    const base = endpointUrl(config, 'prometheus', 'http');
    const [ready, targets, build] = await Promise.allSettled(
      ['/-/ready', '/api/v1/targets?state=active', '/api/v1/status/buildinfo'].map((p) =>
        httpGet(`${base}${p}`, signal),
      ),
    );
    if (ready.status === 'rejected') {
      return { healthy: false, detail: unreachable('Prometheus', base, 'PROMETHEUS_PORT', ready.reason) };
    }
    const version = build.status === 'fulfilled' ? versionOf(build.value.json) : undefined;
    if (ready.value.status !== 200) {
      return {
        healthy: false,
        version,
        detail: `${base}/-/ready answered HTTP ${ready.value.status}: ${snippet(ready.value.text)}`,
      };
    }
    const health = targets.status === 'fulfilled' ? targetHealth(targets.value.json) : [];
    const up = health.filter((t) => t.health === 'up').length;
    const down = health.filter((t) => t.health !== 'up').map((t) => `${t.job} ${t.health}`);
    return {
      healthy: true,
      version,
      detail: `ready; ${up}/${health.length} scrape target(s) up${down.length ? ` (${down.join(', ')})` : ''}`,
      data: { targets: health },
    };
  },
};

/** Each active target's job and health (up, down, unknown before its first scrape). */
export function targetHealth(json: unknown): { job: string; health: string }[] {
  const data = isRecord(json) && isRecord(json.data) ? json.data : {};
  const active = Array.isArray(data.activeTargets) ? data.activeTargets : [];
  return active.filter(isRecord).map((t) => ({
    job: isRecord(t.labels) && typeof t.labels.job === 'string' ? t.labels.job : '?',
    health: typeof t.health === 'string' ? t.health : 'unknown',
  }));
}

function versionOf(json: unknown): string | undefined {
  const v = isRecord(json) && isRecord(json.data) ? json.data.version : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
