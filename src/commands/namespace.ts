// `temporal-ctl namespace create|list|describe|update|delete`: namespaces through the frontend's
// gRPC API (src/namespaces/ops.ts). Flag names follow `temporal operator namespace …`.
import { formatDuration } from '../config/duration.js';
import { namespaceNameProblem } from '../config/namespace-name.js';
import { UsageError } from '../errors.js';
import * as ops from '../namespaces/ops.js';
import { printNamespace, printNamespaceTable } from '../namespaces/render.js';
import { waitUntilUsable } from '../namespaces/namespace-usable.js';
import { withConnection } from '../temporal/connection.js';
import { GrpcCode, grpcCode } from '../temporal/grpc-errors.js';
import { confirmTyped } from './confirm.js';
import type { Call, CommandResult } from './spec.js';

interface NamespaceFlags {
  namespace?: string;
  retention?: number;
  description?: string;
  email?: string;
  data?: Record<string, string>;
  ifNotExists?: boolean;
  yes?: boolean;
}

type NamespaceCall = Call<{ name?: string }, NamespaceFlags>;

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

export async function create({ ctx, args, flags }: NamespaceCall): Promise<CommandResult> {
  const c = ctx.config;
  const name = pickName(args.name, flags);
  const problem = namespaceNameProblem(name);
  if (problem) throw new UsageError(`${problem}`);
  const spec: ops.NamespaceSpec = {
    name,
    retentionMs: flags.retention ?? c.TEMPORAL_NAMESPACE_RETENTION,
    description: flags.description,
    ownerEmail: flags.email,
    data: flags.data,
  };
  const about = { action: `create namespace "${name}"`, namespace: name };
  // Returns only once a worker's first call works (./usable.ts), for a namespace it found too.
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
    if (view.retentionSeconds * 1000 !== spec.retentionMs) {
      ctx.out.warn(
        `namespace "${name}" has retention ${view.retention}, not the requested ${formatDuration(spec.retentionMs)}; ` +
          `run \`temporal-ctl namespace update ${name} --retention ${formatDuration(spec.retentionMs)}\` to change it`,
      );
    }
  }
  return {
    document: { ...view, created, usableAfterMs },
    text: (out) =>
      out.line(
        created
          ? `namespace "${name}" created (retention ${view.retention}, id ${view.id})`
          : `namespace "${name}" already exists; left unchanged`,
      ),
  };
}

export async function list({ ctx }: Call): Promise<CommandResult> {
  const all = await withConnection(ctx.config, { action: 'list namespaces' }, (conn) => ops.listNamespaces(conn));
  return { document: all, text: (out) => printNamespaceTable(out, all) };
}

export async function describe({ ctx, args, flags }: NamespaceCall): Promise<CommandResult> {
  const c = ctx.config;
  const name = pickName(args.name, flags, c.TEMPORAL_NAMESPACE);
  const view = await withConnection(c, { action: `describe namespace "${name}"`, namespace: name }, (conn) =>
    ops.describeNamespace(conn, name),
  );
  return { document: view, text: (out) => printNamespace(out, view) };
}

export async function update({ ctx, args, flags }: NamespaceCall): Promise<CommandResult> {
  const c = ctx.config;
  const name = pickName(args.name, flags, c.TEMPORAL_NAMESPACE);
  const changes: ops.NamespaceChanges = {
    retentionMs: flags.retention,
    description: flags.description,
    ownerEmail: flags.email,
    data: flags.data,
  };
  if (Object.values(changes).every((v) => v === undefined)) {
    throw new UsageError('nothing to update; pass --retention, --description, --email or --data');
  }
  const view = await withConnection(c, { action: `update namespace "${name}"`, namespace: name }, async (conn) => {
    await ops.updateNamespace(conn, name, changes);
    return ops.describeNamespace(conn, name); // read back what the server now holds
  });
  return {
    document: view,
    text: (out) => {
      out.line(`namespace "${name}" updated`);
      printNamespace(out, view);
    },
  };
}

export async function remove({ ctx, args, flags }: NamespaceCall): Promise<CommandResult> {
  const c = ctx.config;
  const name = pickName(args.name, flags);
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
  const renamedTo = await withConnection(c, about, (conn) => ops.deleteNamespace(conn, name), 30_000);
  return {
    document: { name, deleted: true, renamedTo: renamedTo ?? null },
    text: (out) =>
      out.line(
        `namespace "${name}" deleted${renamedTo ? ` (renamed to ${renamedTo} while the server removes its data)` : ''}`,
      ),
  };
}
