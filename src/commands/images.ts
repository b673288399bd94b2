// `temporal-ctl images list|pull|save|load`: the images the config needs. `pull` fetches the missing
// ones ahead of `start` (which pulls them itself before terraform runs). For hosts without registry
// access: save them on a connected host, carry the tar over, load it; `start` then uses them as they are.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { durationFlag } from '../cli/args.js';
import type { Context } from '../cli/context.js';
import { enabledServices, imageFor, requiredImages } from '../model/service-facts.js';
import type { ClusterConfig } from '../config/schema.js';
import { OperationError, UsageError } from '../errors.js';
import { example } from './help.js';

interface Row {
  image: string;
  services: string[];
  present: boolean;
  id: string | null;
  size: number | null;
}

/** TEMPORAL_DOCKER_TIMEOUT for the engine's calls (client.js loads on use, as the other Docker modules). */
const deadlineOf = async (c: ClusterConfig) => (await import('../docker/client.js')).dockerDeadline(c);

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

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

function printRows(ctx: Context, list: Row[]): void {
  const width = Math.max(...list.map((r) => r.image.length));
  for (const r of list) {
    const state = r.present ? ctx.out.ok('present') : ctx.out.bad('missing');
    ctx.out.line(`${r.image.padEnd(width)}  ${state}  ${ctx.out.dim(r.services.join(', '))}`);
  }
}

async function list(ctx: Context): Promise<void> {
  const all = await rows(ctx, ctx.config);
  if (ctx.json) return ctx.out.json({ images: all, missing: all.filter((r) => !r.present).map((r) => r.image) });
  printRows(ctx, all);
}

async function save(ctx: Context, file: string): Promise<void> {
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
  if (ctx.json) return ctx.out.json({ file: target, bytes, images: all.map((r) => r.image) });
  ctx.out.line(`saved ${all.length} images (${mb(bytes)}) to ${target}`);
  for (const r of all) ctx.out.line(`  ${r.image}`);
}

/** Exit 1 when a required image is still missing after the load. */
async function load(ctx: Context, file: string): Promise<void> {
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
  if (missing.length > 0) ctx.exitCode = 1;
  if (ctx.json) return ctx.out.json({ file: source, loaded, images: all, missing });
  ctx.out.line(`loaded ${loaded.length} image(s) from ${source}`);
  printRows(ctx, all);
  if (missing.length > 0)
    ctx.out.warn(
      `still missing: ${missing.join(', ')}; save them on a host that has them (temporal-ctl images save FILE) and load that tar`,
    );
}

/** Pulls every missing image (the same preflight as start), with per-image progress; exit 1 when one cannot be pulled. */
async function pull(ctx: Context, timeoutMs: number): Promise<void> {
  const loaded = ctx.load();
  const [{ ensureImages }, { renderEvents }] = await Promise.all([
    import('../lifecycle/ensure-images.js'),
    import('./render-events.js'),
  ]);
  const render = ctx.json ? undefined : await renderEvents(ctx.out, false);
  let pulled: string[] = [];
  try {
    await ensureImages(
      loaded,
      { env: ctx.env, timeoutMs, untouched: 'images already on the engine were kept' },
      (e) => {
        if (e.type === 'images-checked') pulled = [...e.missing];
        render?.emit(e);
      },
    );
  } finally {
    render?.finish(true);
  }
  const all = await rows(ctx, loaded.config);
  if (ctx.json) return ctx.out.json({ images: all, pulled });
  if (pulled.length === 0) ctx.out.line(`every required image is already on the Docker engine (${all.length})`);
  else ctx.out.line(`pulled ${pulled.length} image(s); every required image is on the Docker engine now`);
}

export function registerImages(program: Command, ctx: Context): void {
  const images = program
    .command('images')
    .description('list, pull, save and load the images the cluster needs (save/load: air-gapped hosts)')
    .addHelpText(
      'after',
      example('temporal-ctl images save temporal-images.tar', 'temporal-ctl images load temporal-images.tar'),
    );
  images
    .command('list')
    .description('every image the configuration needs, and whether the Docker engine has it locally')
    .addHelpText('after', example('temporal-ctl images list --output json'))
    .action(() => list(ctx));
  images
    .command('pull')
    .description(
      'pull every required image the Docker engine does not have, with per-image progress (what start does first)',
    )
    .addOption(
      new Option('--timeout <duration>', 'how long the pulls may take together')
        .argParser(durationFlag)
        .default(600_000, '10m'),
    )
    .addHelpText(
      'after',
      example('temporal-ctl images pull', 'temporal-ctl images pull --env-file ./prod.env --timeout 30m'),
    )
    .action((flags: { timeout: number }) => pull(ctx, flags.timeout));
  images
    .command('save <file>')
    .description('write every required image into one tar (docker save), to carry to a host without registry access')
    .addHelpText('after', example('temporal-ctl images save --env-file ./prod.env temporal-images.tar'))
    .action((file: string) => save(ctx, file));
  images
    .command('load <file>')
    .description(
      'load a tar of images (docker load) and report which required images are now present; exit 1 if some are still missing',
    )
    .addHelpText('after', example('temporal-ctl images load temporal-images.tar'))
    .action((file: string) => load(ctx, file));
}
