// nginx balancing clients' calls over the frontends (TEMPORAL_TOPOLOGY=roles), the official image's
// contract as for the UI proxy: one server block file in conf.d. gRPC is balanced per call, not per
// connection (nginx speaks HTTP/2 to both sides), so one long-lived client connection still spreads
// its calls over every frontend.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { PROXY_CONF_PATH } from './ui-proxy.js';
import { DOCKER_DNS } from './common.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'frontend-lb';
/** How long a lookup is kept: a stopped frontend leaves Docker's DNS at once and nginx's within this. */
const DNS_VALID = '2s';
/**
 * Long enough for the SDKs' long polls (a worker's poll waits up to 70 s on the server, plus the
 * client's margin): a shorter read timeout would cut every idle poll.
 */
const CALL_TIMEOUT = '600s';

export interface FrontendBalancerProps extends ServiceProps {
  /** The name every frontend answers to on the network (resolved to all of them). */
  readonly frontends: string;
  /** The frontends' gRPC and HTTP API ports. */
  readonly frontendPorts: { readonly grpc: number; readonly http: number };
}

export class FrontendBalancer extends ServiceContainer {
  constructor(scope: Construct, id: string, props: FrontendBalancerProps) {
    const { frontends, frontendPorts, ...common } = props;
    const ports = { grpc: containerPort(SERVICE, 'grpc'), http: containerPort(SERVICE, 'http') };
    super(scope, id, {
      ...common,
      service: SERVICE,
      uploads: [{ path: PROXY_CONF_PATH, content: balancerConf(ports, frontends, frontendPorts) }],
      // Up when nginx answers on its HTTP port (any status: the frontends are judged by their own checks).
      healthCheck: {
        command: `curl -s -o /dev/null http://127.0.0.1:${ports.http}/`,
        startPeriod: '5s',
        unhealthyAfterSeconds: 30,
        deployWaitSeconds: 30,
      },
    });
  }
}

/**
 * The gRPC listener (h2c) and the HTTP API listener. The upstream is a variable, so nginx resolves
 * the shared name through Docker's DNS at run time and uses every address it returns in turn. A call
 * whose connection to one frontend fails goes to the next (error, timeout): a killed frontend costs a
 * connect attempt, not a failed call.
 */
export function balancerConf(
  listen: { readonly grpc: number; readonly http: number },
  frontends: string,
  upstream: { readonly grpc: number; readonly http: number },
): string {
  return `# temporal-ctl: clients' gRPC and HTTP API calls balanced over the frontends (TEMPORAL_TOPOLOGY=roles)
resolver ${DOCKER_DNS} valid=${DNS_VALID} ipv6=off;
resolver_timeout 2s;
server {
    listen ${listen.grpc} http2;
    server_tokens off;
    client_max_body_size 0;
    location / {
        set $frontends ${frontends};
        grpc_pass grpc://$frontends:${upstream.grpc};
        grpc_connect_timeout 2s;
        grpc_read_timeout ${CALL_TIMEOUT};
        grpc_send_timeout ${CALL_TIMEOUT};
        grpc_next_upstream error timeout;
        grpc_next_upstream_tries 3;
        grpc_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
server {
    listen ${listen.http};
    server_tokens off;
    client_max_body_size 0;
    location / {
        set $frontends ${frontends};
        proxy_pass http://$frontends:${upstream.http};
        proxy_http_version 1.1;
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
