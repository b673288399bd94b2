// What the lifecycle core reports while it works. Commands render these (live on a terminal, plain
// lines in CI or a pipe, one JSON document with -o json); the core itself never prints.
import type { ResourceChange } from '../deploy/apply.js';
import type { PullProgress } from '../docker/pull-progress.js';
import type { ClusterPlan } from '../deploy/plan-summary.js';
import type { ServiceName } from '../model/services.js';
import type { EnsureResult } from '../namespaces/ensure.js';
import type { StackStatus } from '../probes/collect.js';

export type LifecycleEvent =
  | { readonly type: 'already-running'; readonly stack: string }
  /** The cluster runs, but the config, the uploaded files or temporal-ctl changed since the last apply. */
  | { readonly type: 'config-changed'; readonly stack: string }
  | { readonly type: 'prerequisites-checked' }
  /** Which required images the engine has; the missing ones are pulled next, before terraform runs. */
  | { readonly type: 'images-checked'; readonly present: readonly string[]; readonly missing: readonly string[] }
  /** A missing image being pulled: its phase and bytes (several a second while it downloads). */
  | { readonly type: 'image-pull'; readonly progress: PullProgress; readonly afterMs: number }
  | { readonly type: 'state-moved'; readonly from: string; readonly to: string }
  | { readonly type: 'resumed'; readonly containers: readonly string[] }
  /** Containers and networks of the stack that the state does not hold (left by a killed terraform), removed before the apply. */
  | { readonly type: 'orphans-removed'; readonly names: readonly string[] }
  | { readonly type: 'synthesized'; readonly stack: string; readonly dir: string; readonly stateFile: string }
  /** terraform's plan in the cluster's terms, before anything is applied. */
  | { readonly type: 'planned'; readonly stack: string; readonly plan: ClusterPlan }
  /** A service whose replacement interrupts the cluster: what stops meanwhile, and what forces it. */
  | {
      readonly type: 'replace-downtime';
      readonly service: ServiceName;
      readonly forcedBy: readonly string[];
      readonly changedEnv?: readonly string[];
      readonly impact: string;
    }
  | { readonly type: 'apply-started'; readonly replace: readonly string[] }
  | { readonly type: 'resource'; readonly change: ResourceChange }
  | { readonly type: 'applied' }
  /** start --no-wait: applied, health not awaited. */
  | { readonly type: 'not-waiting' }
  | { readonly type: 'service-unhealthy'; readonly service: ServiceName; readonly lastLines: readonly string[] }
  | { readonly type: 'waiting'; readonly timeoutMs: number }
  | { readonly type: 'status'; readonly status: StackStatus }
  | { readonly type: 'service-healthy'; readonly service: ServiceName; readonly afterMs: number }
  | { readonly type: 'healthy'; readonly afterMs: number }
  /** The namespace exists but a worker's call still fails (`reason`): start waits until it succeeds. */
  | { readonly type: 'namespace-waiting'; readonly name: string; readonly reason: string }
  | { readonly type: 'namespace-ensured'; readonly result: EnsureResult }
  | { readonly type: 'warning'; readonly message: string }
  /** rotate-password changed the role's password in the running database (ALTER ROLE). */
  | { readonly type: 'password-rotated'; readonly role: string; readonly container: string }
  /** rotate-password found the database already on the configured password (a rotation resumed). */
  | { readonly type: 'password-current'; readonly role: string; readonly container: string }
  | { readonly type: 'removing'; readonly stack: string }
  | {
      readonly type: 'removed';
      readonly stack: string;
      readonly destroyed: boolean;
      readonly leftovers: readonly string[];
    }
  | { readonly type: 'volumes-deleted'; readonly volumes: readonly string[] }
  | { readonly type: 'volumes-kept'; readonly volumes: readonly string[] }
  | {
      readonly type: 'ready';
      readonly stack: string;
      readonly endpoints: readonly { readonly label: string; readonly url: string }[];
      /** What a Temporal SDK or CLI needs to reach the cluster, under the names of Temporal's envconfig. */
      readonly clientEnv: { readonly TEMPORAL_ADDRESS: string; readonly TEMPORAL_NAMESPACE: string };
    };

export type Emit = (event: LifecycleEvent) => void;
