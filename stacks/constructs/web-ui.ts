// The Temporal Web UI, pointed at the server over the stack's network.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

const SERVICE: ServiceName = 'ui';
/** One Go binary; /healthz answers within about a second and does not depend on the server. */
const START_PERIOD = '10s';
/** Failing this long marks it unhealthy (as 6 checks at the former 10 s interval did). */
const UNHEALTHY_AFTER_SECONDS = 60;
/** The deploy's bound: the start period plus most of the time to unhealthy; the UI is up in seconds or broken. */
const DEPLOY_WAIT_SECONDS = 60;

export interface WebUiProps extends ServiceProps {
  /** The server's gRPC frontend as the UI reaches it, HOST:PORT. */
  readonly temporalAddress: string;
  /** Origins the UI accepts (CORS). */
  readonly corsOrigins: readonly string[];
  /** Send the CSRF cookie without Secure, for plain HTTP. @default false */
  readonly cookiesInsecure?: boolean;
  /** More of the image's own settings, e.g. its OIDC login (TEMPORAL_AUTH_*). @default - none */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  /** TLS towards the server: the image's TEMPORAL_TLS_* variables and the files they name. @default - plaintext */
  readonly tls?: { readonly environment: Readonly<Record<string, string>>; readonly files: readonly Upload[] };
}

export class WebUi extends ServiceContainer {
  constructor(scope: Construct, id: string, props: WebUiProps) {
    const { temporalAddress, corsOrigins, cookiesInsecure = false, extraEnvironment = {}, tls, ...common } = props;
    const port = containerPort(SERVICE, 'http');
    super(scope, id, {
      ...common,
      service: SERVICE,
      environment: {
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_CORS_ORIGINS: corsOrigins.join(','),
        // Inside the image TEMPORAL_UI_PORT is the port the UI listens on (our key of the same name
        // is the host port); pin it to the container port the stack publishes.
        TEMPORAL_UI_PORT: port,
        ...(cookiesInsecure ? { TEMPORAL_CSRF_COOKIE_INSECURE: 'true' } : {}),
        ...extraEnvironment,
        ...tls?.environment,
      },
      uploads: tls?.files,
      healthCheck: {
        command: `wget -q -O /dev/null http://127.0.0.1:${port}/healthz`,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
