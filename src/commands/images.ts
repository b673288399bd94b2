// `temporal-ctl images list|pull|save|load`: the images the config needs. `pull` fetches the missing
// ones ahead of `start` (which pulls them itself before terraform runs). For hosts without registry
// access: save them on a connected host, carry the tar over, load it; `start` then uses them as they are.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from './context.js';
import { enabledServices, imageFor, requiredImages } from '../model/service-facts.js';
import type { ClusterConfig } from '../config/schema.js';
import { OperationError, UsageError } from '../errors.js';
import type { Output } from '../output.js';
import { formatBytes } from '../bytes.js';
import type { Call, CommandResult } from './spec.js';

interface Row {
  image: string;
  services: string[];
  present: boolean;
  id: string | null;
  size: number | null;
}

/** TEMPORAL_DOCKER_TIMEOUT for the engine's calls (client.js loads on use, as the other Docker modules). */
const deadlineOf = async (c: ClusterConfig) => (await import('../docker/client.js')).dockerDeadline(c);

/** Every required image with the services that run it and whether the engine has it. */
async function rows(ctx: Context, c: ClusterConfig): Promise<Row[]> {
  const { imagePresence } = await import('../docker/local-images.js');
  const refs = requiredImages(c);
  const presence = await imagePresence(refs, ctx.env, await deadlineOf(c));
  return presence.map((p) => ({
    image: p.ref,
    services: enabledServices(c).filter((s) => imageFor(c, s) === p.ref),
    present: p.present,
    id: p.id ?? null,
    size: p.size ?? null,
  }));
}

function printRows(out: Output, list: Row[]): void {
  const width = Math.max(...list.map((r) => r.image.length));
  for (const r of list) {
    const state = r.present ? out.ok('present') : out.bad('missing');
    out.line(`${r.image.padEnd(width)}  ${state}  ${out.dim(r.services.join(', '))}`);
  }
}

export async function list({ ctx }: Call): Promise<CommandResult> {
  const all = await rows(ctx, ctx.config);
  return {
    document: { images: all, missing: all.filter((r) => !r.present).map((r) => r.image) },
    text: (out) => printRows(out, all),
  };
}

export async function save({ ctx, args: { file } }: Call<{ file: string }>): Promise<CommandResult> {
  const all = await rows(ctx, ctx.config);
  const missing = all.filter((r) => !r.present).map((r) => r.image);
  if (missing.length > 0) {
    throw new OperationError(
      `cannot save: ${missing.length} required image(s) are not on the Docker engine: ${missing.join(', ')}`,
      {
        hint: `pull them first (${missing.map((m) => `docker pull ${m}`).join('; ')}) or load a tar that has them (temporal-ctl images load FILE)`,
      },
    );
  }
  const { saveImages } = await import('../docker/local-images.js');
  const target = resolve(file);
  ctx.out.info(`saving ${all.length} images to ${target} ...`);
  const bytes = await saveImages(
    all.map((r) => r.image),
    target,
    ctx.env,
    await deadlineOf(ctx.config),
  );
  return {
    document: { file: target, bytes, images: all.map((r) => r.image) },
    text: (out) => {
      out.line(`saved ${all.length} images (${formatBytes(bytes)}) to ${target}`);
      for (const r of all) out.line(`  ${r.image}`);
    },
  };
}

/** Exit 1 when a required image is still missing after the load. */
export async function load({ ctx, args: { file } }: Call<{ file: string }>): Promise<CommandResult> {
  const source = resolve(file);
  if (!existsSync(source))
    throw new UsageError(
      `image archive ${source} does not exist: pass the tar written by \`temporal-ctl images save\``,
    );
  const { loadImages } = await import('../docker/local-images.js');
  ctx.out.info(`loading ${source} ...`);
  const loaded = await loadImages(source, ctx.env, await deadlineOf(ctx.config));
  const all = await rows(ctx, ctx.config);
  const missing = all.filter((r) => !r.present).map((r) => r.image);
  if (missing.length > 0)
    ctx.out.warn(
      `still missing: ${missing.join(', ')}; save them on a host that has them (temporal-ctl images save FILE) and load that tar`,
    );
  return {
    document: { file: source, loaded, images: all, missing },
    text: (out) => {
      out.line(`loaded ${loaded.length} image(s) from ${source}`);
      printRows(out, all);
    },
    exitCode: missing.length > 0 ? 1 : 0,
  };
}

/** Pulls every missing image (the same preflight as start); exit 1 when one cannot be pulled. */
export async function pull({ ctx, flags, emit }: Call<object, { timeout: number }>): Promise<CommandResult> {
  const loaded = ctx.load();
  const { ensureImages } = await import('../lifecycle/ensure-images.js');
  let pulled: string[] = [];
  await ensureImages(
    loaded,
    { env: ctx.env, timeoutMs: flags.timeout, untouched: 'images already on the engine were kept' },
    (e) => {
      if (e.type === 'images-checked') pulled = [...e.missing];
      emit(e);
    },
  );
  const all = await rows(ctx, loaded.config);
  return {
    document: { images: all, pulled },
    text: (out) =>
      out.line(
        pulled.length === 0
          ? `every required image is already on the Docker engine (${all.length})`
          : `pulled ${pulled.length} image(s); every required image is on the Docker engine now`,
      ),
  };
}
