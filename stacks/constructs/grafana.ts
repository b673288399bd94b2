// Grafana with its datasource and dashboards provisioned from files (uploaded, so a remote
// DOCKER_HOST works); anonymous visitors may view, as the Web UI lets them.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps, type Upload } from './service-container.js';

const SERVICE: ServiceName = 'grafana';
/** Grafana migrates its database at a first start, which takes seconds. */
const START_PERIOD = '30s';
const UNHEALTHY_AFTER_SECONDS = 60;
const DEPLOY_WAIT_SECONDS = 120;

export interface GrafanaProps extends ServiceProps {
  /** Provisioning files and dashboards: path in the container and content. */
  readonly files: readonly Upload[];
  /** Variables the provisioning files read (the datasource's URL). */
  readonly provisioningEnv: Readonly<Record<string, string>>;
  /** The dashboard Grafana opens on, a path among `files`. */
  readonly homeDashboard: string;
  /** The admin user's password, which Grafana takes at its first start (then its volume keeps it). */
  readonly adminPassword: string;
}

export class Grafana extends ServiceContainer {
  constructor(scope: Construct, id: string, props: GrafanaProps) {
    const { files, provisioningEnv, homeDashboard, adminPassword, ...common } = props;
    const port = containerPort(SERVICE, 'http');
    super(scope, id, {
      ...common,
      service: SERVICE,
      environment: {
        ...provisioningEnv,
        GF_SERVER_HTTP_PORT: port,
        GF_AUTH_ANONYMOUS_ENABLED: 'true',
        GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_SECURITY_ADMIN_PASSWORD: adminPassword,
        GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: homeDashboard,
        // No calls home from a cluster's host.
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
        GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
      },
      uploads: files,
      healthCheck: {
        command: `wget -q -O /dev/null http://127.0.0.1:${port}/api/health`,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
