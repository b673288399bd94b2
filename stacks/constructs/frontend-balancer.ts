// nginx balancing clients' calls over the frontends (TEMPORAL_TOPOLOGY=roles), the official image's
// contract as for the UI proxy: one server block file in conf.d. gRPC is balanced per call, not per
// connection (nginx speaks HTTP/2 to both sides), so one long-lived client connection still spreads
// its calls over every frontend.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { PROXY_CONF_PATH } from './ui-proxy.js';
import { DOCKER_DNS } from './common.js';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

const SERVICE: ServiceName = 'frontend-lb';
/** How long a lookup is kept: a stopped frontend leaves Docker's DNS at once and nginx's within this. */
const DNS_VALID = '2s';
/**
 * Long enough for the SDKs' long polls (a worker's poll waits up to 70 s on the server, plus the
 * client's margin): a shorter read timeout would cut every idle poll.
 */
const CALL_TIMEOUT = '600s';

/**
 * TLS on both sides of the balancer (TEMPORAL_TLS=server|mtls), as paths inside its container.
 * It terminates the caller's TLS, since per-call balancing needs to read the HTTP/2 stream, and
 * opens TLS of its own to the frontend, which verifies it like any other client.
 */
export interface BalancerTls {
  /** The certificate and key it presents to callers, and to the frontends when they require one. */
  readonly certPath: string;
  readonly keyPath: string;
  /** The CA that signed the frontends' certificate. */
  readonly caPath: string;
  /** The name it verifies in the frontends' certificate (they are dialled by address). */
  readonly serverName: string;
  /** With mtls: the CA a caller's certificate must chain to; without one, no call passes. @default - none asked */
  readonly clientCaPath?: string;
  /** The files to upload at those paths. */
  readonly files: readonly Upload[];
}

export interface FrontendBalancerProps extends ServiceProps {
  /** The name every frontend answers to on the network (resolved to all of them). */
  readonly frontends: string;
  /** The frontends' gRPC and HTTP API ports. */
  readonly frontendPorts: { readonly grpc: number; readonly http: number };
  /** @default - plaintext on both sides */
  readonly tls?: BalancerTls;
}

export class FrontendBalancer extends ServiceContainer {
  constructor(scope: Construct, id: string, props: FrontendBalancerProps) {
    const { frontends, frontendPorts, tls, ...common } = props;
    const ports = { grpc: containerPort(SERVICE, 'grpc'), http: containerPort(SERVICE, 'http') };
    // -k: the check is whether nginx answers, not who the certificate names (the status probe verifies that).
    const url = tls ? `-k https://127.0.0.1:${ports.http}/` : `http://127.0.0.1:${ports.http}/`;
    super(scope, id, {
      ...common,
      service: SERVICE,
      uploads: [
        { path: PROXY_CONF_PATH, content: balancerConf(ports, frontends, frontendPorts, tls) },
        ...(tls?.files ?? []),
      ],
      // Up when nginx answers on its HTTP port (any status, 400 for a missing client certificate
      // too: the frontends are judged by their own checks).
      healthCheck: {
        command: `curl -s -o /dev/null ${url}`,
        startPeriod: '5s',
        unhealthyAfterSeconds: 30,
        deployWaitSeconds: 30,
      },
    });
  }
}

/** The listener's TLS lines: its certificate, and with mtls the caller's certificate required. */
function serverTlsLines(tls: BalancerTls): string {
  const lines = [
    `ssl_certificate ${tls.certPath};`,
    `ssl_certificate_key ${tls.keyPath};`,
    'ssl_protocols TLSv1.2 TLSv1.3;',
  ];
  if (tls.clientCaPath) lines.push(`ssl_client_certificate ${tls.clientCaPath};`, 'ssl_verify_client on;');
  return lines.map((l) => `    ${l}\n`).join('');
}

/** The upstream TLS lines of one module (grpc or proxy): verify the frontend, and present ours under mtls. */
function upstreamTlsLines(module: 'grpc' | 'proxy', tls: BalancerTls): string {
  const lines = [
    `${module}_ssl_verify on;`,
    `${module}_ssl_trusted_certificate ${tls.caPath};`,
    `${module}_ssl_name ${tls.serverName};`,
    `${module}_ssl_server_name on;`,
    `${module}_ssl_protocols TLSv1.2 TLSv1.3;`,
  ];
  if (tls.clientCaPath)
    lines.push(`${module}_ssl_certificate ${tls.certPath};`, `${module}_ssl_certificate_key ${tls.keyPath};`);
  return lines.map((l) => `        ${l}\n`).join('');
}

/**
 * Calls in flight on one client connection. An SDK sends all of a client's calls over one HTTP/2
 * connection, and each worker poller and each awaited workflow result is a long poll held open:
 * 200 results awaited at once failed behind nginx's default of 128 ("h2 protocol error"). The
 * frontends themselves (gRPC-Go) set no such limit.
 */
const MAX_CONCURRENT_STREAMS = 4096;

/**
 * The gRPC listener (HTTP/2) and the HTTP API listener, with TLS on both sides when `tls` is given.
 * The upstream is a variable, so nginx resolves the shared name through Docker's DNS at run time and
 * uses every address it returns in turn. A call whose connection to one frontend fails goes to the
 * next (error, timeout): a killed frontend costs a connect attempt, not a failed call. Without a
 * client certificate under mtls, nginx answers every call with 400 and passes nothing on.
 */
export function balancerConf(
  listen: { readonly grpc: number; readonly http: number },
  frontends: string,
  upstream: { readonly grpc: number; readonly http: number },
  tls?: BalancerTls,
): string {
  const ssl = tls ? ' ssl' : '';
  const serverTls = tls ? serverTlsLines(tls) : '';
  return `# temporal-ctl: clients' gRPC and HTTP API calls balanced over the frontends (TEMPORAL_TOPOLOGY=roles)
resolver ${DOCKER_DNS} valid=${DNS_VALID} ipv6=off;
resolver_timeout 2s;
server {
    listen ${listen.grpc}${ssl} http2;
${serverTls}    server_tokens off;
    client_max_body_size 0;
    http2_max_concurrent_streams ${MAX_CONCURRENT_STREAMS};
    location / {
        set $frontends ${frontends};
        grpc_pass ${tls ? 'grpcs' : 'grpc'}://$frontends:${upstream.grpc};
${tls ? upstreamTlsLines('grpc', tls) : ''}        grpc_connect_timeout 2s;
        grpc_read_timeout ${CALL_TIMEOUT};
        grpc_send_timeout ${CALL_TIMEOUT};
        grpc_next_upstream error timeout;
        grpc_next_upstream_tries 3;
        grpc_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
server {
    listen ${listen.http}${ssl};
${serverTls}    server_tokens off;
    client_max_body_size 0;
    location / {
        set $frontends ${frontends};
        proxy_pass ${tls ? 'https' : 'http'}://$frontends:${upstream.http};
${tls ? upstreamTlsLines('proxy', tls) : ''}        proxy_http_version 1.1;
        proxy_connect_timeout 2s;
        proxy_read_timeout ${CALL_TIMEOUT};
        proxy_next_upstream error timeout;
        proxy_next_upstream_tries 3;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
`;
}
