// The test environment's addresses, as `bash scripts/test-env up` wrote them to .test-env/env.json.
// Under CI=true a missing environment is a failure; elsewhere a suite may skip with NOT_UP_MESSAGE.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/installed-package.js';

export const NOT_UP_MESSAGE = 'test environment is not up: run `bash scripts/test-env up`';
export const TEST_ENV_DIR = join(PROJECT_ROOT, '.test-env');

export interface TestEnv {
  postgres: {
    host: string;
    /** The address containers reach it at (this host's first address; it listens beyond loopback). */
    networkHost: string;
    port: number;
    user: string;
    password: string;
    binDir: string;
    dataDir: string;
    pid: number;
    databases: { temporal: string; visibility: string };
  };
  /** The production server (go-built) on the real PostgreSQL. */
  temporal: {
    address: string;
    grpcPort: number;
    httpPort: number;
    /** The server's Prometheus endpoint (PROMETHEUS_ENDPOINT), always on in the test env. */
    metricsPort: number;
    metricsUrl: string;
    version: string;
    pid: number;
    log: string;
    binary: string;
    sqlTool: string;
    /** temporal-elasticsearch-tool, next to the server (the schema job finds it on PATH). */
    esTool: string;
    schemaDir: string;
    schemaScript: string;
    /**
     * How scripts/test-env asked for the server's and the schema job's environment: the test
     * cluster's config (KEY=value, on top of the project's) and the `config env` placement flags.
     */
    contract: { config: string[]; server: string[]; schema: string[] };
  };
  /** The Elasticsearch node (assembled from Maven Central) holding the server's visibility index. */
  elasticsearch: {
    url: string;
    port: number;
    pid: number;
    version: string;
    /** The visibility index (ELASTICSEARCH_INDEX) the schema job created. */
    index: string;
    home: string;
    dataDir: string;
    log: string;
  } | null;
  /** The Web UI server pointed at that server; `version` may stand in for the configured one. */
  ui: { url: string; port: number; pid: number; version: string } | null;
  /** Test tooling: Temporal's CLI; cdktf-cli at the cdktf dependency's version, the registry (absent before scripts/test-env wrote them). */
  cli: {
    temporal: string;
    cdktf?: string;
    /** Debian's docker-registry (distribution): the image-pull tests run their own on a free loopback port. */
    registry?: string;
  };
  /** PyPI's temporalio installed apart: `PYTHONPATH=<path> <interpreter> test/e2e/worker/worker.py`. */
  python: { interpreter: string; temporalio: string; path: string };
  /**
   * kreuzwerker/docker as the terraform tests run it: TEMPORAL_DOCKER_PROVIDER_VERSION of every test
   * project (the pin in scripts/test-env, the release scripts/build-e2e-provider can build here).
   */
  terraform: { dockerProvider: string };
  docker: { host: string; testImage: string } | null;
  /** .test-env/temporal.env: `temporal-ctl --env-file <this>` targets the services above. */
  envFile: string;
}

export const isCI = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/** The environment, or undefined when it is not up (throws instead under CI=true). */
export function loadTestEnv(): TestEnv | undefined {
  const file = join(TEST_ENV_DIR, 'env.json');
  if (!existsSync(file)) {
    if (isCI()) throw new Error(NOT_UP_MESSAGE);
    return undefined;
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Omit<TestEnv, 'envFile'>;
  return { ...parsed, envFile: join(TEST_ENV_DIR, 'temporal.env') };
}

/** The environment; throws NOT_UP_MESSAGE when it is not up, whatever CI says. */
export function requireTestEnv(): TestEnv {
  const env = loadTestEnv();
  if (!env) throw new Error(NOT_UP_MESSAGE);
  return env;
}
