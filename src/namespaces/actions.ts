// What each `temporal-ctl namespace` subcommand does; loaded only when one runs.
import { confirmTyped } from '../cli/confirm.js';
import type { Context } from '../cli/context.js';
import { formatDuration } from '../config/duration.js';
import { namespaceNameProblem } from '../config/namespace-name.js';
import type { ClusterConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { withConnection } from '../temporal/connection.js';
import { GrpcCode, grpcCode } from '../temporal/grpc-errors.js';
import * as ops from './ops.js';
import { printNamespace, printNamespaceTable } from './render.js';
import { waitUntilUsable } from './namespace-usable.js';

export interface NamespaceFlags {
  namespace?: string;
  retention?: number;
  description?: string;
  email?: string;
  ownerEmail?: string;
  data?: Record<string, string>;
  ifNotExists?: boolean;
  yes?: boolean;
}

const SYSTEM_NAMESPACE = 'temporal-system';

/** The name from the argument or -n; both given and different is a usage error. */
function pickName(arg: string | undefined, flags: NamespaceFlags, fallback?: string): string {
  if (arg !== undefined && flags.namespace !== undefined && arg !== flags.namespace) {
    throw new UsageError(`namespace given twice ("${arg}" and -n "${flags.namespace}"); pass it once`);
  }
  const name = arg ?? flags.namespace ?? fallback;
  if (name === undefined)
    throw new UsageError(
      'no namespace name given; pass it as the argument, e.g. `temporal-ctl namespace delete billing`',
    );
  return name;
}

function ownerEmail(flags: NamespaceFlags): string | undefined {
  if (flags.email !== undefined && flags.ownerEmail !== undefined && flags.email !== flags.ownerEmail) {
    throw new UsageError('--email and --owner-email disagree; pass one of them');
  }
  return flags.email ?? flags.ownerEmail;
}

export async function createAction(
  ctx: Context,
  c: ClusterConfig,
  arg: string | undefined,
  flags: NamespaceFlags,
): Promise<void> {
  const name = pickName(arg, flags);
  const problem = namespaceNameProblem(name);
  if (problem) throw new UsageError(`${problem}`);
  const spec: ops.NamespaceSpec = {
    name,
    retentionMs: flags.retention ?? c.TEMPORAL_NAMESPACE_RETENTION,
    description: flags.description,
    ownerEmail: ownerEmail(flags),
    data: flags.data,
  };
  const about = { action: `create namespace "${name}"`, namespace: name };
  // Returns only once a worker's first call works (./namespace-usable.ts), for a namespace it found too.
  const onWaiting = (reason: string) =>
    ctx.out.info(`namespace "${name}": waiting until workers can use it (the frontend still answers: ${reason})`);
  const { view, created, usableAfterMs } = await withConnection(
    c,
    about,
    async (conn) => {
      let created = true;
      try {
        await ops.registerNamespace(conn, spec);
      } catch (error) {
        if (grpcCode(error) !== GrpcCode.ALREADY_EXISTS || !flags.ifNotExists) throw error;
        created = false;
      }
      const view = created ? await ops.waitUntilVisible(conn, name) : await ops.describeNamespace(conn, name);
      return { view, created, usableAfterMs: await waitUntilUsable(conn, name, { onWaiting }) };
    },
    75_000,
  );
  if (!created) {
    if (!ctx.json) ctx.out.line(`namespace "${name}" already exists; left unchanged`);
    if (view.retentionSeconds * 1000 !== spec.retentionMs) {
      ctx.out.warn(
        `namespace "${name}" has retention ${view.retention}, not the requested ${formatDuration(spec.retentionMs)}; ` +
          `run \`temporal-ctl namespace update ${name} --retention ${formatDuration(spec.retentionMs)}\` to change it`,
      );
    }
  }
  if (ctx.json) return ctx.out.json({ ...view, created, usableAfterMs });
  if (created) ctx.out.line(`namespace "${name}" created (retention ${view.retention}, id ${view.id})`);
}

export async function listAction(ctx: Context, c: ClusterConfig): Promise<void> {
  const all = await withConnection(c, { action: 'list namespaces' }, (conn) => ops.listNamespaces(conn));
  if (ctx.json) return ctx.out.json(all);
  await printNamespaceTable(ctx.out, all);
}

export async function describeAction(
  ctx: Context,
  c: ClusterConfig,
  arg: string | undefined,
  flags: NamespaceFlags,
): Promise<void> {
  const name = pickName(arg, flags, c.TEMPORAL_NAMESPACE);
  const view = await withConnection(c, { action: `describe namespace "${name}"`, namespace: name }, (conn) =>
    ops.describeNamespace(conn, name),
  );
  if (ctx.json) return ctx.out.json(view);
  printNamespace(ctx.out, view);
}

export async function updateAction(
  ctx: Context,
  c: ClusterConfig,
  arg: string | undefined,
  flags: NamespaceFlags,
): Promise<void> {
  const name = pickName(arg, flags, c.TEMPORAL_NAMESPACE);
  const changes: ops.NamespaceChanges = {
    retentionMs: flags.retention,
    description: flags.description,
    ownerEmail: ownerEmail(flags),
    data: flags.data,
  };
  if (Object.values(changes).every((v) => v === undefined)) {
    throw new UsageError('nothing to update; pass --retention, --description, --email or --data');
  }
  const view = await withConnection(c, { action: `update namespace "${name}"`, namespace: name }, async (conn) => {
    await ops.updateNamespace(conn, name, changes);
    return ops.describeNamespace(conn, name); // read back what the server now holds
  });
  if (ctx.json) return ctx.out.json(view);
  ctx.out.line(`namespace "${name}" updated`);
  printNamespace(ctx.out, view);
}

export async function deleteAction(
  ctx: Context,
  c: ClusterConfig,
  arg: string | undefined,
  flags: NamespaceFlags,
): Promise<void> {
  const name = pickName(arg, flags);
  if (name === SYSTEM_NAMESPACE)
    throw new UsageError(`"${SYSTEM_NAMESPACE}" is the server's own namespace and cannot be deleted`);
  if (name === c.TEMPORAL_NAMESPACE || name === 'default') {
    ctx.out.warn(
      `"${name}" is the default namespace: workers and clients without an explicit namespace use it, and ` +
        '`temporal-ctl start` will create it again, empty',
    );
  }
  await confirmTyped(ctx.out, {
    action: `delete namespace "${name}" and all its workflows`,
    name,
    nameIs: 'the namespace name',
    yes: Boolean(flags.yes),
  });
  // The server runs its delete workflow until the namespace is renamed: allow it 30s.
  const about = { action: `delete namespace "${name}"`, namespace: name };
  const deleted = await withConnection(c, about, (conn) => ops.deleteNamespace(conn, name), 30_000);
  ctx.out.line(
    `namespace "${name}" deleted${deleted ? ` (renamed to ${deleted} while the server removes its data)` : ''}`,
  );
}
