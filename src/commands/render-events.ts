// Renders lifecycle events: readable lines (with live per-service progress on a terminal) or,
// with -o json, one JSON document at the end. The lifecycle core never prints; this is where its
// events become text.
import { formatDuration, formatElapsed } from '../config/duration.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { Output } from '../output.js';
import type { SchemaVersions } from '../probes/schema-versions.js';
import { formatBytes } from '../bytes.js';
import { forcedBy, planLines } from './plan-render.js';
import { pullDisplayFactory, type PullDisplay } from './pull-progress.js';
import { progressFactory, type Progress } from './start-progress.js';
import { byteProgress, type ByteProgress } from './byte-progress.js';

export interface EventRenderer {
  readonly emit: (event: LifecycleEvent) => void;
  /**
   * Ends live output and, in JSON mode after success, prints the document with `extra`'s fields
   * added (a failure prints the error's document instead).
   */
  readonly finish: (succeeded: boolean, extra?: object) => void;
}

export async function renderEvents(out: Output, json: boolean): Promise<EventRenderer> {
  return json ? jsonDocument(out) : textLines(out, await progressFactory(out), await pullDisplayFactory(out));
}

/** Events that are the command's result go to stdout; the rest is progress, on stderr. */
const RESULTS = new Set<LifecycleEvent['type']>([
  'ready',
  'removed',
  'volumes-deleted',
  'volumes-kept',
  'upgrade-current',
  'upgrade-dry-run',
  'upgraded',
  'scaled',
]);

/** Byte counts of a pull, a dump or a restore: the document keeps starts and ends, not the ticks between. */
const isTick = (e: LifecycleEvent): boolean =>
  e.type === 'database-bytes' ||
  (e.type === 'image-pull' && e.progress.phase !== 'pulling' && e.progress.phase !== 'pulled');

/** Every event except the per-round status (only the last is kept) and pull ticks, then the result. */
function jsonDocument(out: Output): EventRenderer {
  const events: LifecycleEvent[] = [];
  let last: LifecycleEvent | undefined;
  return {
    emit(e) {
      if (e.type === 'status') last = e;
      else if (!isTick(e)) events.push(e);
    },
    finish(succeeded, extra) {
      if (!succeeded) return;
      const ready = events.find((e) => e.type === 'ready');
      out.json({
        events: last ? [...events, last] : events,
        ...(ready ? { stack: ready.stack, endpoints: ready.endpoints, clientEnv: ready.clientEnv } : {}),
        ...extra,
      });
    },
  };
}

function textLines(
  out: Output,
  startProgress: () => Progress,
  startPulls: (refs: readonly string[]) => PullDisplay,
): EventRenderer {
  let progress: Progress | undefined;
  let pulls: PullDisplay | undefined;
  let bytes: ByteProgress | undefined;
  let toPull: readonly string[] = [];
  const stopProgress = (summary?: string) => {
    progress?.done();
    pulls?.done();
    bytes?.end(summary);
    progress = undefined;
    pulls = undefined;
    bytes = undefined;
  };
  return {
    emit(e) {
      if (e.type === 'status') return progress?.round(e.status);
      if (e.type === 'image-pull') {
        pulls ??= startPulls(toPull); // from the first pull on: a registry that refused them all draws nothing
        return pulls.update(e.progress, e.afterMs);
      }
      if (e.type === 'service-healthy') return; // the progress display shows it
      if (e.type === 'database-bytes') return bytes?.bytes(e.bytes, e.total);
      if (e.type === 'database-dumped') return stopProgress(describe(out, e));
      stopProgress();
      if (e.type === 'database-dumping' || e.type === 'database-restoring') {
        // One line per database, redrawn with its bytes on a terminal (its end replaces it).
        bytes = byteProgress(out, false);
        return bytes.begin(describe(out, e)!);
      }
      const text = describe(out, e);
      if (text !== undefined) RESULTS.has(e.type) ? out.line(text) : out.info(text);
      if (e.type === 'waiting') progress = startProgress();
      if (e.type === 'images-checked') toPull = e.missing;
    },
    finish: () => stopProgress(),
  };
}

const schemaText = (s: SchemaVersions): string =>
  s.visibility === undefined ? `temporal ${s.temporal}` : `temporal ${s.temporal}, visibility ${s.visibility}`;

/** One readable line per event (undefined: nothing to say in text mode). */
function describe(out: Output, e: LifecycleEvent): string | undefined {
  switch (e.type) {
    case 'already-running':
      return `stack ${e.stack} is already running as configured: nothing to do (--apply re-applies the config)`;
    case 'config-changed':
      return `stack ${e.stack} runs, but its configuration changed since the last start: applying it`;
    case 'prerequisites-checked':
      return undefined;
    case 'images-checked':
      return e.missing.length > 0
        ? `pulling ${e.missing.length} image(s) the Docker engine does not have yet...`
        : undefined;
    case 'image-pull':
      return undefined;
    case 'orphans-removed':
      return `removed ${e.names.join(', ')}: left outside the Terraform state by an interrupted start (they hold no data; the volumes are kept), the apply creates them again`;
    case 'resumed':
      return `resumed ${e.containers.join(', ')}`;
    case 'rebalanced':
      return `spread ${e.services.join(', ')} over the ready nodes again (one task at a time)`;
    case 'synthesized':
      return `synthesized stack ${e.stack} (state: ${e.stateFile})`;
    case 'planned':
      return planLines(out, e.stack, e.plan).join('\n');
    case 'replace-downtime':
      return `${out.color.yellow('downtime:')} replacing ${e.service}${e.forcedBy.length ? ` (forced by ${forcedBy(e)})` : ''} takes it down from the removal of its container until the new one is healthy; meanwhile ${e.impact}`;
    case 'membership-settling':
      return `waiting ${formatElapsed(e.ms)} until the removed server containers drop out of the membership ring's join list, so the new ones join at once`;
    case 'rolling-planned':
      return `rolling: ${e.instances.join(', ')} replaced one at a time, each healthy and in its ring before the next; the other instances of each role keep serving`;
    case 'rolling':
      return `rolling ${e.index}/${e.of}: replacing ${e.instance}...`;
    case 'rolled':
      return `  ${e.instance} replaced; every instance healthy and in its ring after ${formatElapsed(e.afterMs)}`;
    case 'apply-started':
      return e.replace.length
        ? `terraform apply (running ${e.replace.join(', ')} again: it failed last time)...`
        : 'terraform apply...';
    case 'resource':
      return e.change.phase === 'started'
        ? undefined
        : `  ${e.change.address}: ${e.change.action} ${e.change.phase}${e.change.elapsedSeconds ? ` after ${e.change.elapsedSeconds}s` : ''}`;
    case 'applied':
      return undefined;
    case 'not-waiting':
      return 'deployed; not waiting for health (`temporal-ctl status --wait` does)';
    case 'service-unhealthy':
      return [
        e.lastLines.length
          ? `${e.service} is not healthy; its last ${e.lastLines.length} log lines:`
          : `${e.service} is not healthy and has no log lines`,
        ...e.lastLines.map((l) => `  ${out.dim(l)}`),
      ].join('\n');
    case 'waiting':
      return `waiting up to ${formatDuration(e.timeoutMs)} for every service to be healthy...`;
    case 'status':
    case 'service-healthy':
      return undefined;
    case 'healthy':
      return `every service is healthy after ${formatElapsed(e.afterMs)}`;
    case 'namespace-waiting':
      return `namespace ${e.name}: waiting until workers can use it (the frontend still answers: ${e.reason})`;
    case 'namespace-ensured':
      return `namespace ${e.result.name}: ${e.result.action}${e.result.usableAfterMs >= 100 ? `, usable by workers after ${formatElapsed(e.result.usableAfterMs)}` : ''}`;
    case 'warning':
      return `${out.color.yellow('warning:')} ${e.message}`;
    case 'password-rotated':
      return `changed the password of ${e.role} in ${e.container} (${e.via}); applying it to the schema job and the server`;
    case 'password-current':
      return `${e.role} in ${e.container} already has the configured password; applying it to the schema job and the server`;
    case 'upgrade-found':
      return `the server runs ${e.server}; schema ${schemaText(e.schema)}`;
    case 'upgrade-current':
      return `the server already runs ${e.version}: nothing to upgrade (--to names another release)`;
    case 'upgrade-chain':
      return e.steps.length > 1
        ? `upgrading ${e.from} -> ${e.to} in ${e.steps.length} steps, one minor at a time: ${e.steps.join(' -> ')}`
        : `upgrading ${e.from} -> ${e.to}`;
    case 'shard-owners':
      return `history shards ${e.when}: ${
        Object.entries(e.owners)
          .map(([instance, ids]) => `${instance} ${ids.length}`)
          .join(', ') || 'no history instance in the ring'
      }`;
    case 'scaled': {
      const counts = Object.entries(e.counts)
        .map(([role, n]) => `${role}=${n}`)
        .join(' ');
      return e.dryRun
        ? `dry run: nothing was changed. Without --dry-run, scale ${counts} applies the plan above and records the counts in temporal.env`
        : `scaled to ${counts}${e.recordedIn ? ` (recorded in ${e.recordedIn})` : ''}`;
    }
    case 'upgrade-dry-run':
      return `dry run: nothing was changed. Without --dry-run, upgrade ${e.backup ? 'takes a backup, then ' : ''}per step (${e.steps.join(', ')}) runs the schema job on the new admin-tools, then replaces the server and admin-tools and waits until healthy`;
    case 'database-dumping':
      return `dumping ${e.role} database ${e.name}`;
    case 'database-dumped':
      return `dumped ${e.database.name}: ${formatBytes(e.database.bytes)} in ${formatElapsed(e.database.ms)}`;
    case 'database-bytes':
      return undefined;
    case 'services-stopping':
      return `stopping ${e.services.join(', ')} (PostgreSQL keeps running)`;
    case 'database-restoring':
      return `restoring ${e.role} into database ${e.database}`;
    case 'schema-job-rerun':
      return 'running the schema job (updates an older schema)';
    case 'services-starting':
      return `starting ${e.services.join(', ')}`;
    case 'namespaces-checking':
      return `checking the backup's ${e.count} namespaces`;
    case 'backup-written':
      return `backup written to ${e.file} (${formatBytes(e.bytes)} in ${formatElapsed(e.ms)})`;
    case 'upgrade-step':
      return e.of > 1 ? `step ${e.index} of ${e.of}: ${e.from} -> ${e.to}` : undefined;
    case 'schema-updating':
      return `updating the schema for ${e.version} (the schema job on the new admin-tools; the server keeps running)...`;
    case 'schema-updated':
      return `schema updated for ${e.version}: ${schemaText(e.schema)} (${formatElapsed(e.afterMs)})`;
    case 'upgraded':
      return `upgraded ${e.from} -> ${e.to} in ${formatElapsed(e.ms)}; schema ${schemaText(e.schema)}${e.recordedIn ? `; ${e.recordedIn} now names ${e.to}` : ''}`;
    case 'removing':
      return `removing stack ${e.stack}...`;
    case 'removed':
      return `stack ${e.stack} removed${e.destroyed ? '' : ' (terraform had nothing deployed)'}${e.leftovers.length ? `; also removed ${e.leftovers.join(', ')}` : ''}`;
    case 'volumes-deleted':
      return `deleted volumes: ${e.volumes.join(', ')}`;
    case 'volumes-kept':
      if (!e.volumes.length) return undefined;
      return e.onNodesLabelled
        ? `kept volumes: ${e.volumes.join(', ')}, on the swarm node labelled ${e.onNodesLabelled}=true (\`docker volume rm\` there deletes them)`
        : `kept volumes: ${e.volumes.join(', ')} (\`temporal-ctl down --volumes\` deletes them)`;
    case 'ready':
      return [
        `Temporal cluster ${e.stack}:`,
        ...e.endpoints.map((x) => `  ${x.label.padEnd(14)}${x.url}`),
        // With TEMPORAL_TLS on, what a worker sets besides the address (Temporal's envconfig names).
        ...Object.entries(e.clientEnv)
          .filter(([k]) => k.startsWith('TEMPORAL_TLS_'))
          .map(([k, v]) => `  ${k}=${v}`),
      ].join('\n');
  }
}
