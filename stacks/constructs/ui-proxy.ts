// nginx in front of the Web UI asking for HTTP basic credentials (TEMPORAL_UI_AUTH=basic), the
// official image's contract: a server block in /etc/nginx/conf.d/default.conf (replacing the
// image's welcome page) and `nginx -g 'daemon off;'` as its command. It receives only the
// password's hash (an htpasswd line).
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/derive.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'ui-proxy';
export const PROXY_CONF_PATH = '/etc/nginx/conf.d/default.conf';
export const HTPASSWD_PATH = '/etc/nginx/temporal-ui.htpasswd';
/** Docker's embedded DNS: nginx looks the UI up again after the UI's container is replaced. */
const DOCKER_DNS = '127.0.0.11';

export interface UiProxyProps extends ServiceProps {
  /** The Web UI as the proxy reaches it over the network, HOST:PORT. */
  readonly upstream: string;
  /** One `user:hash` line (bcrypt); never the password. */
  readonly htpasswd: string;
}

export class UiProxy extends ServiceContainer {
  constructor(scope: Construct, id: string, props: UiProxyProps) {
    const { upstream, htpasswd, ...common } = props;
    const port = containerPort(SERVICE, 'http');
    super(scope, id, {
      ...common,
      service: SERVICE,
      uploads: [
        { path: PROXY_CONF_PATH, content: proxyConf(port, upstream) },
        { path: HTPASSWD_PATH, content: `${htpasswd}\n` },
      ],
      // The gate is up when a request without credentials gets 401 (curl is in the official image).
      healthCheck: {
        command: `curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${port}/ | grep -qx 401`,
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
 * TODO(TLS): with TEMPORAL_TLS on, this server also listens with ssl (the TLS work adds it).
 */
export function proxyConf(port: number, upstream: string): string {
  return `# temporal-ctl: the Web UI behind HTTP basic auth (TEMPORAL_UI_AUTH=basic)
server {
    listen ${port};
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
