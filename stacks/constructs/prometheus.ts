// Prometheus, scraping the server's metrics endpoint over the stack's network; its TSDB lives in
// the service's named volume.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'prometheus';
/** Replaying the write-ahead log of a large TSDB takes a while before /-/ready answers 200. */
const START_PERIOD = '30s';
const UNHEALTHY_AFTER_SECONDS = 60;
const DEPLOY_WAIT_SECONDS = 120;

export interface PrometheusProps extends ServiceProps {
  /** prometheus.yml content, uploaded to `configPath`. */
  readonly config: string;
  /** Where the image reads its config (the args name it too). */
  readonly configPath: string;
  /** The process's arguments: config file, data path, retention. */
  readonly args: readonly string[];
}

export class Prometheus extends ServiceContainer {
  constructor(scope: Construct, id: string, props: PrometheusProps) {
    const { config, configPath, args, ...common } = props;
    const port = containerPort(SERVICE, 'http');
    super(scope, id, {
      ...common,
      service: SERVICE,
      command: args,
      // Uploaded, like the server's dynamic config: a bind mount would need the file on the Docker host.
      uploads: [{ path: configPath, content: config }],
      healthCheck: {
        // The image is busybox-based: wget is there, curl is not.
        command: `wget -q -O /dev/null http://127.0.0.1:${port}/-/ready`,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
