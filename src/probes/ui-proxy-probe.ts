// The basic-auth proxy in front of the Web UI (TEMPORAL_UI_AUTH=basic): healthy means the gate
// holds. A GET without credentials must answer 401 (nginx up, auth_basic on); any other answer,
// above all a 200 that would serve the UI to anyone, is unhealthy. Whether the credentials open it
// is the UI probe's part: it goes through this proxy with them.
import { readFileSync } from 'node:fs';
import { endpoints } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { uiProxyTls } from '../model/services.js';
import { httpGet } from '../http-get.js';
import { snippet, unreachable } from './answer-detail.js';
import type { Probe } from './probe.js';

/** The CA the proxy's certificate is verified against when it serves TLS (the cluster's CA). */
export function proxyCa(config: ClusterConfig): string | undefined {
  return uiProxyTls(config) ? readFileSync(config.TEMPORAL_TLS_SERVER_CA_CERT_PATH, 'utf8') : undefined;
}

export const uiProxyProbe: Probe = {
  service: 'ui-proxy',
  async run(config, signal) {
    const base = endpoints(config).ui;
    let status: number;
    let text: string;
    try {
      ({ status, text } = await httpGet(`${base}/`, signal, undefined, proxyCa(config)));
    } catch (error) {
      return { healthy: false, detail: unreachable('the Web UI proxy', base, 'TEMPORAL_UI_PORT', error) };
    }
    if (status === 401) return { healthy: true, detail: 'asks for credentials (401 without them)' };
    const open = status >= 200 && status < 400;
    return {
      healthy: false,
      detail: open
        ? `serves ${base}/ without credentials (HTTP ${status}): the gate is open; check the proxy's configuration (\`temporal-ctl logs ui-proxy\`)`
        : `${base}/ answered HTTP ${status} without credentials, not 401: ${snippet(text)}`,
    };
  },
};
