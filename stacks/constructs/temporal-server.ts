// The Temporal server (all roles in one container), configured through the environment variables of
// its built-in config template, with the dynamic config uploaded into the container.
import type { Construct } from 'constructs';
import { DYNAMIC_CONFIG_CONTAINER_PATH } from '../../src/model/names-and-endpoints.js';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { grpcHealthCommand } from '../grpc-health.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'server';
/** The frontend is NOT_SERVING until membership is ready, seconds after the process starts. */
const START_PERIOD = '30s';
/** Failing this long marks it unhealthy (as 12 checks at the former 10 s interval did). */
const UNHEALTHY_AFTER_SECONDS = 120;
/** The deploy's bound: the start period plus the time to unhealthy, with room for a slow first start. */
const DEPLOY_WAIT_SECONDS = 180;

export interface TemporalServerProps extends ServiceProps {
  /** The variables of the built-in config template (src/model/temporal-env.ts: serverEnv). */
  readonly environment: Readonly<Record<string, string>>;
  /** Content of the dynamic config file, uploaded to DYNAMIC_CONFIG_CONTAINER_PATH. */
  readonly dynamicConfig: string;
  /**
   * TLS files to upload (the paths `environment` names). With any, the frontend speaks only TLS and
   * the image has no TLS client (Alpine BusyBox: no openssl, no h2 over TLS), so the healthcheck
   * becomes "the frontend port accepts connections"; temporal-ctl's own probe checks SERVING over
   * TLS. @default - none: plaintext, and the gRPC health check
   */
  readonly tlsFiles?: readonly { readonly path: string; readonly content: string }[];
  /** Files for reaching the stores over TLS (an external PostgreSQL's CA). @default - none */
  readonly storeTlsFiles?: readonly { readonly path: string; readonly content: string }[];
}

export class TemporalServer extends ServiceContainer {
  constructor(scope: Construct, id: string, props: TemporalServerProps) {
    const { environment, dynamicConfig, tlsFiles = [], storeTlsFiles = [], ...common } = props;
    const port = containerPort(SERVICE, 'grpc');
    super(scope, id, {
      ...common,
      service: SERVICE,
      environment,
      // Uploaded rather than bind-mounted: a bind mount needs the file on the Docker host, which
      // breaks DOCKER_HOST=ssh://. A changed file shows in the plan and recreates the server.
      uploads: [{ path: DYNAMIC_CONFIG_CONTAINER_PATH, content: dynamicConfig }, ...tlsFiles, ...storeTlsFiles],
      healthCheck: {
        command: tlsFiles.length > 0 ? `nc -z 127.0.0.1 ${port}` : grpcHealthCommand('127.0.0.1', port),
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
