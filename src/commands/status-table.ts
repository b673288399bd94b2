// The human view of a status round: one row per service, coloured through Output.
import { isOneShot, serviceDecl, SERVICES } from '../model/service-facts.js';
import type { Output } from '../output.js';
import type { ServiceStatus, StackStatus } from '../probes/collect.js';

export async function renderStatusTable(out: Output, status: StackStatus): Promise<void> {
  const { renderTable } = await import('../table.js');
  const rows = status.services.map((s) => [
    s.instance,
    containerCell(out, s),
    healthCell(out, s),
    latencyCell(s),
    detailCell(out, s),
  ]);
  const ns = status.namespace;
  // A worker needs its namespace as much as the server: a row of its own.
  if (ns)
    rows.push([
      `namespace ${ns.name}`,
      out.dim('-'),
      ns.usable ? out.ok('usable') : out.bad(ns.state === 'unchecked' ? 'unknown' : 'unusable'),
      '-',
      ns.usable ? out.dim(ns.detail) : ns.detail,
    ]);
  const ring = status.ring;
  // With roles: the server's own view of which instances serve, one row like the namespace's.
  if (ring)
    rows.push([
      'membership ring',
      out.dim('-'),
      ring.complete ? out.ok('complete') : out.bad(ring.state === 'read' ? 'incomplete' : 'unknown'),
      '-',
      ring.complete ? out.dim(ring.detail) : ring.detail,
    ]);
  out.line(await renderTable(['service', 'container', 'health', 'latency', 'version / detail'], rows));
  if (status.mode === 'probe-only') {
    const why = status.services.every((s) => s.healthy)
      ? 'the services run outside Docker'
      : 'not deployed? `temporal-ctl start` deploys it';
    out.line(
      out.dim(
        `no container of stack ${status.stack} exists (${why}): only the probes decide; ${unprobed().join(' and ')} are not shown`,
      ),
    );
  }
  out.line(
    `${status.healthy ? out.ok('all healthy') : out.bad('unhealthy')} ${out.dim(`(checked in ${status.elapsedMs} ms)`)}`,
  );
}

function containerCell(out: Output, s: ServiceStatus): string {
  const c = s.container;
  if (!c) return out.dim('-');
  const text = [
    c.state,
    c.exitCode !== undefined ? `(${c.exitCode})` : '',
    c.health ? `[${c.health}]` : '',
    c.restartCount > 0 ? `x${c.restartCount} restarts` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const fine = isOneShot(c.service) ? c.state === 'exited' && c.exitCode === 0 : c.state === 'running';
  return fine ? text : out.bad(text);
}

function healthCell(out: Output, s: ServiceStatus): string {
  return s.healthy ? out.ok('healthy') : out.bad('unhealthy');
}

function latencyCell(s: ServiceStatus): string {
  return s.probe ? `${s.probe.latencyMs} ms` : '-';
}

function detailCell(out: Output, s: ServiceStatus): string {
  const version = s.probe?.version ? `${s.probe.version}  ` : '';
  return `${version}${s.healthy ? out.dim(s.detail) : s.detail}`;
}

/** Services judged by their container alone: without containers there is nothing to show for them. */
const unprobed = (): string[] => SERVICES.filter((s) => serviceDecl(s).probe === 'container-state');
