// What the CLI knows about a container of the stack, independent of how Docker is reached.
import type { ServiceName } from '../model/services.js';

export type ContainerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'removing' | 'dead';

export interface StackContainer {
  service: ServiceName;
  /** The instance's name (src/model/service-facts.ts: Instance): the service's, or `<service>-<n>` with replicas. */
  instance: string;
  /** The Terraform id of its container. */
  resourceId: string;
  /** Its IP addresses on the Docker networks it joined (how the ring's members are matched to containers). */
  addresses: string[];
  id: string;
  name: string;
  /** The image as the container was created with: a reference, or an id when created by id (as the stack's provider does). */
  image: string;
  /** The id (sha256:...) of the image the container runs, whatever it was created with. */
  imageId: string;
  state: ContainerState;
  /** Docker's HEALTHCHECK verdict, when the container has one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Exit code of an exited container (the schema job's success is 0). */
  exitCode?: number;
  restartCount: number;
  /** The pids cgroup limit the engine holds for it (0 or undefined: none). */
  pidsLimit?: number;
  /** On a swarm: the node (hostname) its task runs on. */
  node?: string;
  /** On a swarm: why the task is not running, in the swarm's words (e.g. no node satisfies its constraints). */
  note?: string;
}
