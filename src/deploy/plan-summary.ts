// A terraform plan (`terraform show -json <planfile>`) in the cluster's terms: per service, volume,
// network and image, whether it is created, updated in place, replaced or deleted, and for a
// replace the attributes that force it. Pure: the Terraform ids come from the service model.
import { instanceOfResource, SERVICES, serviceDecl } from '../model/service-facts.js';
import { NETWORK_RESOURCE_ID, type ServiceName } from '../model/services.js';
import { envListMap } from '../docker/env-list.js';

export type PlannedAction = 'create' | 'update' | 'replace' | 'delete';
export type PlannedKind = 'service' | 'volume' | 'network' | 'image' | 'other';

export interface PlannedChange {
  /** Terraform address, e.g. `docker_container.server`. */
  readonly address: string;
  readonly kind: PlannedKind;
  /** The service's name; for a volume, network or image its Docker name or reference. */
  readonly name: string;
  /** The service a container or volume belongs to. */
  readonly service?: ServiceName;
  readonly action: PlannedAction;
  /** For a replace: the attributes that force it (terraform's replace_paths), e.g. `env`, `upload[0].content`. */
  readonly forcedBy?: readonly string[];
  /** For a replace: asked for (`-replace`, a one-shot job that failed), not forced by a change. */
  readonly requested?: boolean;
  /**
   * For a replace: terraform marked it tainted, i.e. its create failed or was interrupted (Ctrl-C,
   * --timeout): it never became healthy, so replacing it finishes that create and interrupts nothing.
   */
  readonly tainted?: boolean;
  /** For an update in place: the attributes that change (names only: values may be secrets). */
  readonly attributes?: readonly string[];
  /** The container environment variables that change, added or go (names only). */
  readonly changedEnv?: readonly string[];
}

export interface ClusterPlan {
  /** Every change, services first (in start order), then volumes, the network, images. */
  readonly changes: readonly PlannedChange[];
  /** Anything to apply (resources or outputs). */
  readonly pending: boolean;
}

/** The parts of terraform's JSON plan this reads (format_version 1.x). */
export interface TerraformPlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode?: string;
    readonly type: string;
    readonly name: string;
    readonly action_reason?: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly before?: Record<string, unknown> | null;
      readonly after?: Record<string, unknown> | null;
      readonly after_unknown?: Record<string, unknown> | boolean;
      readonly replace_paths?: readonly (readonly (string | number)[])[];
    };
  }[];
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
}

const KIND_ORDER: readonly PlannedKind[] = ['service', 'volume', 'network', 'image', 'other'];

export function summarizePlan(plan: TerraformPlanJson): ClusterPlan {
  const changes = (plan.resource_changes ?? [])
    .filter((r) => r.mode !== 'data')
    .flatMap((r) => {
      const action = plannedAction(r.change.actions);
      return action ? [describeChange(r, action)] : [];
    })
    .sort((a, b) => rank(a) - rank(b));
  const outputs = Object.values(plan.output_changes ?? {}).some((o) => plannedAction(o.actions));
  return { changes, pending: changes.length > 0 || outputs };
}

/** terraform's action list as one action; undefined for no-op and read. */
export function plannedAction(actions: readonly string[]): PlannedAction | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  const [only] = actions;
  return only === 'create' || only === 'update' || only === 'delete' ? only : undefined;
}

type ResourceChangeJson = NonNullable<TerraformPlanJson['resource_changes']>[number];

function describeChange(r: ResourceChangeJson, action: PlannedAction): PlannedChange {
  const { before, after } = r.change;
  const value = (key: string): string | undefined => {
    const v = after?.[key] ?? before?.[key];
    return typeof v === 'string' ? v : undefined;
  };
  const env = changedEnv(before?.env, after?.env);
  const base = {
    address: r.address,
    action,
    ...(action !== 'create' && action !== 'delete' && env.length ? { changedEnv: env } : {}),
  };
  const detail =
    action === 'replace'
      ? r.action_reason === 'replace_by_request'
        ? { requested: true }
        : r.action_reason === 'replace_because_tainted'
          ? { tainted: true }
          : { forcedBy: forcingAttributes(r.change.replace_paths ?? []) }
      : action === 'update'
        ? { attributes: changedAttributes(r.change) }
        : {};
  if (r.type === 'docker_container') {
    // A service's container, or one instance of a service with replicas (`history-2`).
    const instance = instanceOfResource(r.name);
    if (instance) return { ...base, kind: 'service', name: instance.name, service: instance.service, ...detail };
  }
  if (r.type === 'docker_service') {
    // A swarm service (TEMPORAL_TARGET=swarm): one per service, its instances are its replicas.
    const service = SERVICES.find((s) => serviceDecl(s).resourceId === r.name);
    if (service) return { ...base, kind: 'service', name: service, service, ...detail };
  }
  if (r.type === 'docker_volume') {
    const service = SERVICES.find((s) => serviceDecl(s).volume?.resourceId === r.name);
    return { ...base, kind: 'volume', name: value('name') ?? r.name, ...(service ? { service } : {}), ...detail };
  }
  if (r.type === 'docker_network' && r.name === NETWORK_RESOURCE_ID)
    return { ...base, kind: 'network', name: value('name') ?? r.name, ...detail };
  if (r.type === 'docker_image') return { ...base, kind: 'image', name: value('name') ?? r.name, ...detail };
  return { ...base, kind: 'other', name: r.address, ...detail };
}

/**
 * terraform's replace_paths, one entry per top-level attribute: the full path when it is the only
 * one under its attribute (`upload[0].content`), else the attribute (`ports`, not its ten fields).
 */
export function forcingAttributes(paths: readonly (readonly (string | number)[])[]): string[] {
  const byRoot = new Map<string, (readonly (string | number)[])[]>();
  for (const p of paths) byRoot.set(String(p[0]), [...(byRoot.get(String(p[0])) ?? []), p]);
  return [...byRoot].map(([root, under]) => (under.length === 1 ? attributePath(under[0]!) : root));
}

/** `["upload", 0, "content"]` as `upload[0].content`. */
export function attributePath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Names of the `KEY=value` entries that differ between two env lists. */
export function changedEnv(before: unknown, after: unknown): string[] {
  const entries = (list: unknown) =>
    envListMap((Array.isArray(list) ? list : []).filter((e): e is string => typeof e === 'string'));
  const [a, b] = [entries(before), entries(after)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

/** Top-level attributes whose value changes, or becomes known only after the apply. */
function changedAttributes(change: ResourceChangeJson['change']): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = typeof change.after_unknown === 'object' ? change.after_unknown : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => unknown[k] === true || (k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k])))
    .sort();
}

function rank(c: PlannedChange): number {
  const service = c.kind === 'service' && c.service ? SERVICES.indexOf(c.service) : 0;
  return KIND_ORDER.indexOf(c.kind) * 100 + service;
}

/** Volumes the plan would delete or replace: their data would go. */
export const volumeLosses = (plan: ClusterPlan): PlannedChange[] =>
  plan.changes.filter((c) => c.kind === 'volume' && (c.action === 'delete' || c.action === 'replace'));

/**
 * Replaced containers of services whose downtime interrupts the cluster (the model's replaceImpact).
 * A delete is not among them: it follows from switching the service off.
 */
export const disruptiveReplacements = (plan: ClusterPlan): PlannedChange[] =>
  plan.changes.filter(
    (c) =>
      c.kind === 'service' && c.action === 'replace' && !c.tainted && c.service && serviceDecl(c.service).replaceImpact,
  );
