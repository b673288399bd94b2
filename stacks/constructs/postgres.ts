// PostgreSQL: persistence and (with TEMPORAL_VISIBILITY=postgres) SQL visibility.
import type { Construct } from 'constructs';
import { containerPort } from '../../src/model/service-facts.js';
import type { ServiceName } from '../../src/model/services.js';
import { ServiceContainer, type ServiceProps } from './service-container.js';

const SERVICE: ServiceName = 'postgresql';
/** initdb on a fresh volume runs before the server accepts TCP; failures then do not count. */
const START_PERIOD = '30s';
/** Failing this long marks it unhealthy (as 10 checks at the former 10 s interval did). */
const UNHEALTHY_AFTER_SECONDS = 100;
/** The deploy's bound: initdb and a first start take seconds; two minutes leaves room for a slow disk. */
const DEPLOY_WAIT_SECONDS = 120;

export interface PostgresProps extends ServiceProps {
  /** The superuser the image creates at initdb (a later change needs ALTER ROLE). */
  readonly user: string;
  /** Its password; like the user, it applies only at initdb. */
  readonly password: string;
}

export class Postgres extends ServiceContainer {
  constructor(scope: Construct, id: string, props: PostgresProps) {
    const { user, password, ...common } = props;
    // TCP to 127.0.0.1, not the socket: during initdb the image runs a socket-only server, which
    // must not count as ready.
    const ready = `pg_isready -h 127.0.0.1 -p ${containerPort(SERVICE, 'postgres')} -U ${user} -d postgres`;
    super(scope, id, {
      ...common,
      service: SERVICE,
      environment: { POSTGRES_USER: user, POSTGRES_PASSWORD: password },
      // The image reads both only at initdb; a rotated password (`temporal-ctl rotate-password`)
      // is changed in the database, so replacing the container would only cost downtime.
      environmentAtInitOnly: true,
      healthCheck: {
        command: ready,
        startPeriod: START_PERIOD,
        unhealthyAfterSeconds: UNHEALTHY_AFTER_SECONDS,
        deployWaitSeconds: DEPLOY_WAIT_SECONDS,
      },
    });
  }
}
