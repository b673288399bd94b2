// Text rendering of namespaces (the --json shape is NamespaceView itself).
import type { Output } from '../output.js';
import type { NamespaceView } from './namespace-view.js';

export function printNamespace(out: Output, v: NamespaceView): void {
  const data = Object.entries(v.data)
    .map(([k, val]) => `${k}=${val}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['Name', v.name],
    ['Id', v.id],
    ['State', v.state === 'registered' ? out.ok(v.state) : out.bad(v.state)],
    ['Retention', v.retention],
    ['Description', v.description || out.dim('(none)')],
    ['Owner email', v.ownerEmail || out.dim('(none)')],
    ['Data', data || out.dim('(none)')],
    ['History archival', v.historyArchivalState],
    ['Visibility archival', v.visibilityArchivalState],
    ['Global', String(v.isGlobal)],
    ['Active cluster', v.activeCluster],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, val] of rows) out.line(`${k.padEnd(width)}  ${val}`);
}

export async function printNamespaceTable(out: Output, all: NamespaceView[]): Promise<void> {
  const { renderTable } = await import('../table.js');
  out.line(
    await renderTable(
      ['NAME', 'STATE', 'RETENTION', 'DESCRIPTION', 'OWNER'],
      all.map((v) => [v.name, v.state, v.retention, v.description, v.ownerEmail]),
    ),
  );
}
