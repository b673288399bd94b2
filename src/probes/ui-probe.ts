// Web UI: GET /healthz (the UI process is up) and GET /api/v1/namespaces through
// the UI (the UI reaches the server). /api/v1/settings only supplies the version.
// With TEMPORAL_UI_AUTH=basic the UI publishes nothing: these go through the proxy, with the
// credentials. With oidc the API wants a login session, so /healthz alone counts.
import type { ClusterConfig } from '../config/schema.js';
import type { Probe } from './probe.js';
import { endpoints } from '../model/names-and-endpoints.js';
import { httpGet, type BasicAuth, type HttpAnswer } from '../http-get.js';
import { isRecord, snippet, unreachable } from './answer-detail.js';
import { reason } from '../errors.js';
import { proxyCa } from './ui-proxy-probe.js';

export const uiProbe: Probe = {
  service: 'ui',
  async run(config, signal) {
    const base = endpoints(config).ui;
    const auth = proxyCredentials(config);
    const ca = proxyCa(config);
    const [health, namespaces, settings] = await Promise.allSettled(
      ['/healthz', '/api/v1/namespaces', '/api/v1/settings'].map((path) => httpGet(`${base}${path}`, signal, auth, ca)),
    );
    const version = settings.status === 'fulfilled' ? uiVersion(settings.value) : undefined;
    if (health!.status === 'rejected') {
      return { healthy: false, detail: unreachable('the Web UI', base, 'TEMPORAL_UI_PORT', health!.reason) };
    }
    const h = health!.value;
    if (h.status === 401 && auth) {
      return {
        healthy: false,
        detail: `the proxy refused TEMPORAL_UI_USER and TEMPORAL_UI_PASSWORD (HTTP 401); deploy them with \`temporal-ctl start\``,
      };
    }
    if (h.status !== 200 || !isRecord(h.json) || h.json.status !== 'OK') {
      return { healthy: false, version, detail: `${base}/healthz answered HTTP ${h.status}: ${snippet(h.text)}` };
    }
    if (config.TEMPORAL_UI_AUTH === 'oidc') {
      return { healthy: true, version, detail: 'serves /healthz (the API wants an OIDC login: not checked)' };
    }
    if (namespaces!.status === 'rejected') {
      return {
        healthy: false,
        version,
        detail: `the UI is up but /api/v1/namespaces failed: ${reason(namespaces!.reason)}`,
      };
    }
    const n = namespaces!.value;
    const list = isRecord(n.json) && Array.isArray(n.json.namespaces) ? n.json.namespaces : undefined;
    if (n.status !== 200 || list === undefined) {
      return {
        healthy: false,
        version,
        detail: `the UI is up but cannot reach the server: /api/v1/namespaces answered HTTP ${n.status}: ${snippet(n.text)}`,
      };
    }
    return {
      healthy: true,
      version,
      detail: `serves /healthz and lists ${list.length} namespace(s) through the server`,
      data: { namespaces: list.length },
    };
  },
};

/** The proxy's credentials when the UI is behind it (sent in the header only, never shown). */
function proxyCredentials(c: ClusterConfig): BasicAuth | undefined {
  return c.TEMPORAL_UI_AUTH === 'basic' ? { user: c.TEMPORAL_UI_USER, password: c.TEMPORAL_UI_PASSWORD } : undefined;
}

function uiVersion(answer: HttpAnswer): string | undefined {
  const j = answer.json;
  if (!isRecord(j)) return undefined;
  const v = j.Version ?? j.version;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
