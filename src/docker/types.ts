// What the CLI knows about a container of the stack, independent of how Docker is reached.
import type { ServiceName } from '../config/derive.js';

export type ContainerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'removing' | 'dead';

export interface StackContainer {
  service: ServiceName;
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** Docker's HEALTHCHECK verdict, when the container has one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Exit code of an exited container (the schema job's success is 0). */
  exitCode?: number;
  restartCount: number;
}
