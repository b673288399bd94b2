// What the metrics containers are given: Prometheus's scrape config, derived from the service model
// (the server's container name and metrics port), and where Grafana's provisioning files go. The
// Grafana files themselves live in temporal-config/grafana/ and are uploaded at deploy, as the
// dynamic config is. Pure (no cdktf), so tests and the CLI load it cheaply.
import { stringify } from 'yaml';
import { containerName } from './names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { containerPort, enabledInstances, serviceDecl, serviceVolume } from './service-facts.js';
import { SERVER_METRICS_PATH } from './services.js';

/** prom/prometheus's contract: its config file (its data directory is the volume's target in the service model). */
export const PROMETHEUS_CONFIG_PATH = '/etc/prometheus/prometheus.yml';
/** The scrape job of the server; queries and dashboards select it as {job="temporal-server"}. */
export const SERVER_SCRAPE_JOB = 'temporal-server';
/** Short enough that a fresh cluster shows data within seconds; the endpoint costs little (docs/metrics.md). */
export const SCRAPE_INTERVAL = '10s';

/**
 * The server's metrics endpoints over the project network: the one server, or every instance of every
 * role (each serves the same port; the `instance` label tells them apart).
 */
export function serverMetricsTargets(c: ClusterConfig): string[] {
  const port = containerPort('server', 'metrics');
  return enabledInstances(c)
    .filter((i) => i.service === 'server' || serviceDecl(i.service).role)
    .map((i) => `${containerName(c, i.name as 'server')}:${port}`);
}

/** prometheus.yml: the server's endpoints over the project network, and Prometheus itself. */
export function prometheusConfig(c: ClusterConfig): string {
  return stringify({
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
    scrape_configs: [
      {
        job_name: SERVER_SCRAPE_JOB,
        metrics_path: SERVER_METRICS_PATH,
        static_configs: [{ targets: serverMetricsTargets(c), labels: { project: c.TEMPORAL_PROJECT } }],
      },
      { job_name: 'prometheus', static_configs: [{ targets: [`localhost:${containerPort('prometheus', 'http')}`] }] },
    ],
  });
}

/** Prometheus's arguments (the image's CMD, replaced whole): config, data (the volume), retention. */
export function prometheusArgs(c: ClusterConfig): string[] {
  return [
    `--config.file=${PROMETHEUS_CONFIG_PATH}`,
    `--storage.tsdb.path=${serviceVolume(c, 'prometheus')!.target}`,
    `--storage.tsdb.retention.time=${c.PROMETHEUS_RETENTION}`,
  ];
}

/**
 * The variables temporal-config/grafana/datasources.yaml reads (Grafana expands $VARS in
 * provisioning files): where Prometheus answers on the project network, and its scrape interval.
 */
export function grafanaProvisioningEnv(c: ClusterConfig): Record<string, string> {
  return {
    PROMETHEUS_URL: `http://${containerName(c, 'prometheus')}:${containerPort('prometheus', 'http')}`,
    SCRAPE_INTERVAL,
  };
}

/** The directory temporal-config/grafana/dashboards.yaml's provider loads dashboards from. */
export const GRAFANA_DASHBOARD_DIR = '/etc/grafana/dashboards';
/** The server dashboard, also Grafana's home page. */
export const GRAFANA_HOME_DASHBOARD = `${GRAFANA_DASHBOARD_DIR}/temporal-server.json`;

/** Each file of temporal-config/ that goes into the Grafana container, and where. */
export const GRAFANA_FILES: readonly { readonly source: string; readonly target: string }[] = [
  { source: 'grafana/datasources.yaml', target: '/etc/grafana/provisioning/datasources/temporal-ctl.yaml' },
  { source: 'grafana/dashboards.yaml', target: '/etc/grafana/provisioning/dashboards/temporal-ctl.yaml' },
  { source: 'grafana/dashboards/temporal-server.json', target: GRAFANA_HOME_DASHBOARD },
];
