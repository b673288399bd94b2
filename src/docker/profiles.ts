// Another profile of the same project on the engine. Docker names derive from TEMPORAL_PROJECT
// alone (containers `<project>-<service>`, the network, the volumes), while the stack and its state
// are `<project>-<profile>`: two profiles of one project would share containers and adopt each
// other's volumes. The names stay as they are (renaming would orphan existing data volumes); instead
// what carries our names or the project label is read for its stack label, and another stack is named.
import type Dockerode from 'dockerode';
import { containerName, LABELS, networkName, stackName } from '../model/names-and-endpoints.js';
import type { ClusterConfig } from '../config/schema.js';
import { allVolumeNames, SERVICES } from '../model/service-facts.js';
import { UsageError } from '../errors.js';
import { dockerDeadline, withDocker, type Env } from './client.js';
import type { Deadline } from './deadline.js';

export interface OtherStack {
  /** Its stack label, `<project>-<profile>`. */
  readonly stack: string;
  /** The profile, when the stack label is `<project>-<profile>`. */
  readonly profile: string;
  readonly containers: readonly string[];
  readonly networks: readonly string[];
  readonly volumes: readonly string[];
}

type Kind = 'containers' | 'networks' | 'volumes';
interface Found {
  readonly kind: Kind;
  readonly name: string;
  readonly labels: Record<string, string> | undefined;
}

/** Stacks of this project other than the configured one, with what each holds on the engine. */
export async function otherStacksOfProject(
  c: ClusterConfig,
  env: Env,
  deadline: Deadline = dockerDeadline(c),
): Promise<OtherStack[]> {
  const found = await withDocker(env, (docker) => resources(docker, c), deadline);
  const mine = stackName(c);
  const byStack = new Map<string, Record<Kind, Set<string>>>();
  for (const r of found) {
    const stack = r.labels?.[LABELS.stack];
    if (!stack || stack === mine) continue; // unlabelled (made by hand): not a profile's; ours: fine
    if (r.labels?.[LABELS.project] !== c.TEMPORAL_PROJECT && !ourName(c, r)) continue;
    const entry = byStack.get(stack) ?? { containers: new Set(), networks: new Set(), volumes: new Set() };
    entry[r.kind].add(r.name);
    byStack.set(stack, entry);
  }
  const prefix = `${c.TEMPORAL_PROJECT}-`;
  return [...byStack.entries()].sort().map(([stack, e]) => ({
    stack,
    profile: stack.startsWith(prefix) ? stack.slice(prefix.length) : stack,
    containers: [...e.containers].sort(),
    networks: [...e.networks].sort(),
    volumes: [...e.volumes].sort(),
  }));
}

function ourName(c: ClusterConfig, r: Found): boolean {
  if (r.kind === 'containers') return SERVICES.some((s) => containerName(c, s) === r.name);
  if (r.kind === 'networks') return r.name === networkName(c);
  return allVolumeNames(c).includes(r.name);
}

/** Everything with the project label, plus whatever carries one of our names (whoever labelled it). */
async function resources(docker: Dockerode, c: ClusterConfig): Promise<Found[]> {
  const filters = { label: [`${LABELS.project}=${c.TEMPORAL_PROJECT}`] };
  const [containers, networks, volumes, named] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }).then((r) => r.Volumes ?? []),
    namedVolumes(docker, c),
  ]);
  const [byContainerName, byNetworkName] = await Promise.all([
    docker.listContainers({ all: true, filters: { name: SERVICES.map((s) => `^/${containerName(c, s)}$`) } }),
    docker.listNetworks({ filters: { name: [networkName(c)] } }),
  ]);
  return [
    ...[...containers, ...byContainerName].map((x) => ({
      kind: 'containers' as const,
      name: (x.Names[0] ?? x.Id).replace(/^\//, ''),
      labels: x.Labels,
    })),
    ...[...networks, ...byNetworkName.filter((n) => n.Name === networkName(c))].map((n) => ({
      kind: 'networks' as const,
      name: n.Name,
      labels: n.Labels,
    })),
    ...[...volumes, ...named].map((v) => ({ kind: 'volumes' as const, name: v.Name, labels: v.Labels ?? undefined })),
  ];
}

async function namedVolumes(docker: Dockerode, c: ClusterConfig): Promise<Dockerode.VolumeInspectInfo[]> {
  const found = await Promise.all(
    allVolumeNames(c).map((name) =>
      docker
        .getVolume(name)
        .inspect()
        .catch(() => undefined),
    ),
  );
  return found.filter((v) => v !== undefined);
}

/** The refusal for `start` when another profile of the project holds our names (exit 2 by the caller). */
export function otherProfileMessage(c: ClusterConfig, other: OtherStack): { message: string; hint: string } {
  const deployed = other.containers.length + other.networks.length > 0;
  const held = [...other.containers, ...other.networks, ...other.volumes].join(', ');
  const down = `temporal-ctl down --profile ${other.profile}`;
  const own = `run profile ${c.TEMPORAL_PROFILE} under its own TEMPORAL_PROJECT (e.g. TEMPORAL_PROJECT=${c.TEMPORAL_PROJECT}-${c.TEMPORAL_PROFILE})`;
  return deployed
    ? {
        message: `profile ${other.profile} of project ${c.TEMPORAL_PROJECT} is deployed (${held}) and profiles of one project share their Docker names, so profile ${c.TEMPORAL_PROFILE} would take over its containers and volumes`,
        hint: `nothing was changed; ${own}, or remove the other first: \`${down}\` (its volumes stay and still belong to ${other.profile}; \`${down} --volumes\` deletes them; moving data between profiles is backup and restore)`,
      }
    : {
        message: `the volumes of profile ${other.profile} of project ${c.TEMPORAL_PROJECT} exist (${held}) and profiles of one project share their Docker names, so profile ${c.TEMPORAL_PROFILE} would adopt its data`,
        hint: `nothing was changed; ${own}, or delete that profile's data first: \`${down} --volumes\` (moving data between profiles is backup and restore)`,
      };
}

/** The refusal when another profile of the project holds our Docker names (exit 2); undefined when none does. */
export async function otherProfileRefusal(c: ClusterConfig, env: Env): Promise<UsageError | undefined> {
  // Unreachable engine: start's prerequisites say so, with everything else that is missing.
  const [other] = await otherStacksOfProject(c, env).catch(() => []);
  if (!other) return undefined;
  const { message, hint } = otherProfileMessage(c, other);
  return new UsageError(message, { hint });
}
