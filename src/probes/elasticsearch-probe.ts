// Elasticsearch: GET /_cluster/health (with the elastic user's credentials when security is on,
// as in production). green/yellow is healthy (a single node is
// always yellow once it holds replicas); red, an error status, a timeout or a
// body that is not cluster health is unhealthy, with what was reported.
import type { Probe } from './probe.js';
import { endpoints } from '../model/names-and-endpoints.js';
import { elasticsearchSecurity } from '../config/profile.js';
import { httpGet } from '../http-get.js';
import { isRecord, snippet, unreachable } from './answer-detail.js';

const HEALTHY = new Set(['green', 'yellow']);

export const elasticsearchProbe: Probe = {
  service: 'elasticsearch',
  async run(config, signal) {
    const base = endpoints(config).elasticsearch;
    // Let ES wait a little for yellow itself, but well inside our own timeout.
    const waitMs = Math.min(1000, Math.floor(config.TEMPORAL_PROBE_TIMEOUT / 2));
    // With security on (production), as the built-in superuser the stack sets the password of.
    const auth = elasticsearchSecurity(config);
    const [health, root] = await Promise.allSettled([
      httpGet(`${base}/_cluster/health?wait_for_status=yellow&timeout=${waitMs}ms`, signal, auth),
      httpGet(`${base}/`, signal, auth),
    ]);
    if (health.status === 'rejected') {
      return { healthy: false, detail: unreachable('Elasticsearch', base, 'ELASTICSEARCH_PORT', health.reason) };
    }
    const version = root.status === 'fulfilled' ? versionOf(root.value.json) : undefined;
    const { status: code, json, text } = health.value;
    const body = isRecord(json) ? json : {};
    const status = typeof body.status === 'string' ? body.status : undefined;
    const errorType = isRecord(body.error) ? ` (${String(body.error.type ?? body.error.reason)})` : '';
    if (status === undefined) {
      const what =
        code === 200
          ? `unexpected answer from ${base}/_cluster/health: ${snippet(text)}`
          : `Elasticsearch answered HTTP ${code}${errorType || `: ${snippet(text)}`}`;
      return { healthy: false, version, detail: what };
    }
    const data = clusterFacts(body);
    if (HEALTHY.has(status) && code === 200 && body.timed_out !== true) {
      return { healthy: true, version, data, detail: `cluster status ${status}` };
    }
    const timedOut = body.timed_out === true ? ', timed out waiting for yellow' : '';
    return { healthy: false, version, data, detail: `cluster status ${status} (HTTP ${code}${timedOut})${errorType}` };
  },
};

function versionOf(json: unknown): string | undefined {
  return isRecord(json) && isRecord(json.version) && typeof json.version.number === 'string'
    ? json.version.number
    : undefined;
}

function clusterFacts(json: Record<string, unknown>): Record<string, unknown> {
  const keys = ['cluster_name', 'status', 'timed_out', 'number_of_nodes', 'unassigned_shards'];
  return Object.fromEntries(keys.filter((k) => k in json).map((k) => [k, json[k]]));
}
