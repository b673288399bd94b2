// Grafana: GET /api/health answers 200 with {"database": "ok", "version": ...} once Grafana serves
// and reaches its own database (its provisioning has run by then).
import type { Probe } from './probe.js';
import { endpointUrl } from '../model/service-facts.js';
import { httpGet } from '../http-get.js';
import { isRecord, snippet, unreachable } from './answer-detail.js';

export const grafanaProbe: Probe = {
  service: 'grafana',
  async run(config, signal) {
    const base = endpointUrl(config, 'grafana', 'http');
    let answer: Awaited<ReturnType<typeof httpGet>>;
    try {
      answer = await httpGet(`${base}/api/health`, signal);
    } catch (error) {
      return { healthy: false, detail: unreachable('Grafana', base, 'GRAFANA_PORT', error) };
    }
    const body = isRecord(answer.json) ? answer.json : {};
    const version = typeof body.version === 'string' && body.version !== '' ? body.version : undefined;
    if (answer.status !== 200 || body.database !== 'ok') {
      return {
        healthy: false,
        version,
        detail: `${base}/api/health answered HTTP ${answer.status}: ${snippet(answer.text)}`,
      };
    }
    return { healthy: true, version, detail: 'serves /api/health; its database is ok' };
  },
};
