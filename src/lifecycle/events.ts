// What the lifecycle core reports while it works. Commands render these (live on a terminal, plain
// lines in CI or a pipe, one JSON document with -o json); the core itself never prints.
import type { ResourceChange } from '../deploy/apply.js';
import type { PullProgress } from '../docker/pull-tracker.js';
import type { ClusterPlan } from '../deploy/plan-summary.js';
import type { DatabaseRole, DumpedDatabase } from '../backup/manifest.js';
import type { ServiceName } from '../model/services.js';
import type { EnsureResult } from '../namespaces/ensure.js';
import type { StackStatus } from '../probes/collect.js';
import type { SchemaVersions } from '../probes/schema-versions.js';

export type LifecycleEvent =
  | { readonly type: 'already-running'; readonly stack: string }
  /** The cluster runs, but the config, the uploaded files or temporal-ctl changed since the last apply. */
  | { readonly type: 'config-changed'; readonly stack: string }
  | { readonly type: 'prerequisites-checked' }
  /** Which required images the engine has; the missing ones are pulled next, before terraform runs. */
  | { readonly type: 'images-checked'; readonly present: readonly string[]; readonly missing: readonly string[] }
  /** A missing image being pulled: its phase and bytes (several a second while it downloads). */
  | { readonly type: 'image-pull'; readonly progress: PullProgress; readonly afterMs: number }
  /**
   * Emitted by nothing since the move of a state file from the package directory went (no release kept
   * it there); src/commands still renders it and goes with it (it is being rewritten).
   */
  | { readonly type: 'resumed'; readonly containers: readonly string[] }
  /** Swarm services whose tasks a returned node left doubled up, rolled out again to spread them. */
  | { readonly type: 'rebalanced'; readonly services: readonly string[] }
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
  /**
   * Server containers were removed and others are created next: start waits until the removed ones
   * drop out of the hosts a new server joins the ring through (src/model/server-roles.ts).
   */
  | { readonly type: 'membership-settling'; readonly ms: number }
  /** roles: these instances are replaced one at a time (src/lifecycle/rolling.ts), in this order. */
  | { readonly type: 'rolling-planned'; readonly instances: readonly string[] }
  | { readonly type: 'apply-started'; readonly replace: readonly string[] }
  | { readonly type: 'resource'; readonly change: ResourceChange }
  | { readonly type: 'applied' }
  /** roles: one instance of a rolling replacement is being replaced (`index` of `of`, in roll order). */
  | { readonly type: 'rolling'; readonly instance: string; readonly index: number; readonly of: number }
  /** roles: that instance is replaced, and the cluster is healthy with every instance in its ring again. */
  | { readonly type: 'rolled'; readonly instance: string; readonly afterMs: number }
  /** start --no-wait: applied, health not awaited. */
  | { readonly type: 'not-waiting' }
  | { readonly type: 'service-unhealthy'; readonly service: ServiceName; readonly lastLines: readonly string[] }
  | { readonly type: 'waiting'; readonly timeoutMs: number }
  | { readonly type: 'status'; readonly status: StackStatus }
  | {
      readonly type: 'service-healthy';
      readonly service: ServiceName;
      readonly instance: string;
      readonly afterMs: number;
    }
  | { readonly type: 'healthy'; readonly afterMs: number }
  /** The namespace exists but a worker's call still fails (`reason`): start waits until it succeeds. */
  | { readonly type: 'namespace-waiting'; readonly name: string; readonly reason: string }
  | { readonly type: 'namespace-ensured'; readonly result: EnsureResult }
  | { readonly type: 'warning'; readonly message: string }
  /**
   * rotate-password changed an account's password in its running store: the PostgreSQL role (`via`
   * ALTER ROLE), the Elasticsearch superuser (`via` its security API).
   */
  | { readonly type: 'password-rotated'; readonly role: string; readonly container: string; readonly via: string }
  /** rotate-password found the store already on the configured password (a rotation resumed). */
  | { readonly type: 'password-current'; readonly role: string; readonly container: string }
  /** upgrade: the server's release and the schema versions its databases hold. */
  | { readonly type: 'upgrade-found'; readonly server: string; readonly schema: SchemaVersions }
  /** upgrade: the server already runs the requested release. */
  | { readonly type: 'upgrade-current'; readonly version: string }
  /** upgrade: the releases it goes through, one minor at a time; the last is `to`. */
  | { readonly type: 'upgrade-chain'; readonly from: string; readonly to: string; readonly steps: readonly string[] }
  /** upgrade --dry-run: the chain and the first step's plan were shown; nothing changed. */
  | { readonly type: 'upgrade-dry-run'; readonly steps: readonly string[]; readonly backup: boolean }
  /** scale: the history shards each history instance owns, before the change and after it (`instance: shard ids`). */
  | {
      readonly type: 'shard-owners';
      readonly when: 'before' | 'after';
      readonly owners: Readonly<Record<string, readonly number[]>>;
    }
  /** scale: the new replica counts, planned; `dryRun`: shown only. `recordedIn`: the env file that now holds them. */
  | {
      readonly type: 'scaled';
      readonly counts: Readonly<Record<string, number>>;
      readonly dryRun: boolean;
      readonly recordedIn?: string;
    }
  | { readonly type: 'backup-written'; readonly file: string; readonly bytes: number; readonly ms: number }
  /** backup: pg_dump of one database starts (its bytes follow as database-bytes). */
  | { readonly type: 'database-dumping'; readonly role: DatabaseRole; readonly name: string }
  | { readonly type: 'database-dumped'; readonly database: DumpedDatabase }
  /** Bytes of a dump or a restore so far (`total` when known), several a second. */
  | { readonly type: 'database-bytes'; readonly database: string; readonly bytes: number; readonly total?: number }
  /** restore: services stopped while their databases are replaced (the stores keep running). */
  | { readonly type: 'services-stopping'; readonly services: readonly ServiceName[] }
  | { readonly type: 'database-restoring'; readonly role: DatabaseRole; readonly database: string }
  /** restore: the schema job runs again on the restored databases (an older schema is updated). */
  | { readonly type: 'schema-job-rerun' }
  | { readonly type: 'services-starting'; readonly services: readonly ServiceName[] }
  /** restore: the backup's namespaces are looked for on the restored server. */
  | { readonly type: 'namespaces-checking'; readonly count: number }
  | {
      readonly type: 'upgrade-step';
      readonly from: string;
      readonly to: string;
      readonly index: number;
      readonly of: number;
    }
  /** The schema job runs alone on the new admin-tools image; the server is not touched yet. */
  | { readonly type: 'schema-updating'; readonly version: string }
  | {
      readonly type: 'schema-updated';
      readonly version: string;
      readonly schema: SchemaVersions;
      readonly afterMs: number;
    }
  /** A step done: the server runs `to`, healthy; `recordedIn`: the env file that now names it. */
  | {
      readonly type: 'upgraded';
      readonly from: string;
      readonly to: string;
      readonly schema: SchemaVersions;
      readonly recordedIn?: string;
      readonly ms: number;
    }
  | { readonly type: 'removing'; readonly stack: string }
  | {
      readonly type: 'removed';
      readonly stack: string;
      readonly destroyed: boolean;
      readonly leftovers: readonly string[];
    }
  | { readonly type: 'volumes-deleted'; readonly volumes: readonly string[] }
  | {
      readonly type: 'volumes-kept';
      readonly volumes: readonly string[];
      /** On a swarm: the node label of the nodes that hold them (down --volumes does not reach them). */
      readonly onNodesLabelled?: string;
    }
  | {
      readonly type: 'ready';
      readonly stack: string;
      readonly endpoints: readonly { readonly label: string; readonly url: string }[];
      /** What a Temporal SDK or CLI needs to reach the cluster, under the names of Temporal's envconfig. */
      readonly clientEnv: ClientEnv;
    };

/** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and, with TEMPORAL_TLS on, TEMPORAL_TLS_* (envconfig names). */
export type ClientEnv = { readonly TEMPORAL_ADDRESS: string; readonly TEMPORAL_NAMESPACE: string } & Readonly<
  Record<string, string>
>;

export type Emit = (event: LifecycleEvent) => void;
