// nginx in front of the Web UI asking for HTTP basic credentials (TEMPORAL_UI_AUTH=basic), the
// official image's contract: a server block in /etc/nginx/conf.d/default.conf (replacing the
// image's welcome page) and `nginx -g 'daemon off;'` as its command. It receives only the
// password's hash (an htpasswd line).
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { DOCKER_DNS } from './common.js';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

const SERVICE: ServiceName = 'ui-proxy';
export const PROXY_CONF_PATH = '/etc/nginx/conf.d/default.conf';
export const HTPASSWD_PATH = '/etc/nginx/temporal-ui.htpasswd';

export interface UiProxyProps extends ServiceProps {
  /** The Web UI as the proxy reaches it over the network, HOST:PORT. */
  readonly upstream: string;
  /** One `user:hash` line (bcrypt); never the password. */
  readonly htpasswd: string;
  /** Serve TLS with this certificate and key (uploaded at these paths). @default - plain HTTP */
  readonly tls?: { readonly certPath: string; readonly keyPath: string; readonly files: readonly Upload[] };
}

export class UiProxy extends ServiceContainer {
  constructor(scope: Construct, id: string, props: UiProxyProps) {
    const { upstream, htpasswd, tls, ...common } = props;
    const port = containerPort(SERVICE, 'http');
    // -k: the check is whether the gate holds, not who the certificate names (the probes verify that).
    const url = tls ? `-k https://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/`;
    super(scope, id, {
      ...common,
      service: SERVICE,
      uploads: [
        { path: PROXY_CONF_PATH, content: proxyConf(port, upstream, tls) },
        { path: HTPASSWD_PATH, content: `${htpasswd}\n` },
        ...(tls?.files ?? []),
      ],
      // The gate is up when a request without credentials gets 401 (curl is in the official image).
      healthCheck: {
        command: `curl -s -o /dev/null -w '%{http_code}' ${url} | grep -qx 401`,
        startPeriod: '5s',
        unhealthyAfterSeconds: 30,
        deployWaitSeconds: 30,
      },
    });
  }
}

/**
 * Every path asks for credentials (no location is left open). The browser's Authorization header
 * is not passed on: the UI needs no credentials, and the password stops at the proxy.
 * With TLS (TEMPORAL_TLS on) it listens with ssl only: a plain request gets nginx's 400, never the UI.
 */
export function proxyConf(port: number, upstream: string, tls?: UiProxyProps['tls']): string {
  const listen = tls
    ? `listen ${port} ssl;
    ssl_certificate ${tls.certPath};
    ssl_certificate_key ${tls.keyPath};
    ssl_protocols TLSv1.2 TLSv1.3;`
    : `listen ${port};`;
  return `# temporal-ctl: the Web UI behind HTTP basic auth (TEMPORAL_UI_AUTH=basic)
server {
    ${listen}
    server_tokens off;
    auth_basic "Temporal Web UI";
    auth_basic_user_file ${HTPASSWD_PATH};
    resolver ${DOCKER_DNS} valid=10s;
    location / {
        set $temporal_ui http://${upstream};
        proxy_pass $temporal_ui;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header Authorization "";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 300s;
    }
}
`;
}
