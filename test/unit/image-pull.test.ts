// The pure parts of pulling missing images before start: the pull stream folded into one progress line per
// image, the per-image display (redrawn on a terminal, plain lines in CI), the stored registry login
// for a reference, and the keys a failed image's message tells the user to check.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { renderEvents } from '../../src/commands/render-events.js';
import { humanBytes, pullText } from '../../src/commands/pull-progress.js';
import { keysBehind } from '../../src/config/keys-behind.js';
import { parseConfig } from '../../src/project/parse.js';
import { PullTracker, type PullMessage, type PullProgress } from '../../src/docker/pull-tracker.js';
import { reasonOf, splitReference } from '../../src/docker/pull.js';
import { registryAuth, registryOf } from '../../src/docker/registry-auth.js';
import { Output } from '../../src/output.js';

/** What dockerd 20.10 streams for a two-layer image whose first layer is already on the engine. */
const STREAM: PullMessage[] = [
  { status: 'Pulling from library/postgres', id: '16' },
  { status: 'Already exists', id: 'a1', progressDetail: {} },
  { status: 'Pulling fs layer', id: 'b2', progressDetail: {} },
  { status: 'Waiting', id: 'b2', progressDetail: {} },
  { status: 'Downloading', id: 'b2', progressDetail: { current: 1_000_000, total: 4_000_000 } },
  { status: 'Downloading', id: 'b2', progressDetail: { current: 3_000_000, total: 4_000_000 } },
  { status: 'Verifying Checksum', id: 'b2', progressDetail: {} },
  { status: 'Download complete', id: 'b2', progressDetail: {} },
  { status: 'Extracting', id: 'b2', progressDetail: { current: 32_768, total: 4_000_000 } },
  { status: 'Pull complete', id: 'b2', progressDetail: {} },
  { status: 'Digest: sha256:0123' },
  { status: 'Status: Downloaded newer image for postgres:16' },
];

function fold(messages: PullMessage[]): PullProgress[] {
  const tracker = new PullTracker('postgres:16');
  const seen = [tracker.progress()];
  for (const m of messages) {
    tracker.take(m);
    seen.push(tracker.progress());
  }
  tracker.finish();
  return [...seen, tracker.progress()];
}

describe('PullTracker folds the engine pull stream into one progress per image', () => {
  it('adds up the layers bytes and moves through pulling, downloading, extracting, pulled', () => {
    const seen = fold(STREAM);
    assert.deepEqual(
      seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]),
      ['pulling', 'downloading', 'extracting', 'pulled'],
    );
    const downloading = seen.find((p) => p.current === 3_000_000);
    assert.deepEqual(downloading, {
      ref: 'postgres:16',
      phase: 'downloading',
      current: 3_000_000,
      total: 4_000_000,
      layers: 2,
      layersDone: 1,
    });
    assert.deepEqual(seen.at(-1), {
      ref: 'postgres:16',
      phase: 'pulled',
      current: 4_000_000,
      total: 4_000_000,
      layers: 2,
      layersDone: 2,
    });
  });

  it('throws the engine message when the stream carries an error', () => {
    const tracker = new PullTracker('postgres:16');
    assert.throws(
      () => tracker.take({ errorDetail: { message: 'unauthorized: authentication required' }, error: 'x' }),
      /^Error: unauthorized: authentication required$/,
    );
  });
});

describe('the pull display', () => {
  const progress = (phase: PullProgress['phase'], current = 0): PullProgress =>
    phase === 'pulling'
      ? { ref: 'postgres:16', phase, current: 0, total: 0, layers: 0, layersDone: 0 }
      : { ref: 'postgres:16', phase, current, total: 40_100_000, layers: 5, layersDone: phase === 'pulled' ? 5 : 2 };

  it('says phase, bytes and layers as docker compose does', () => {
    assert.equal(humanBytes(12_345_678), '12.3MB');
    assert.equal(humanBytes(999), '999B');
    assert.equal(pullText(progress('downloading', 12_300_000), 900), 'Downloading 12.3MB/40.1MB (2/5 layers)');
    assert.equal(pullText(progress('pulled', 40_100_000), 12_340), 'Pulled 40.1MB in 12.3s');
  });

  function sink(tty: boolean) {
    let text = '';
    const stream = Object.assign(
      new Writable({
        write(c, _e, done) {
          text += String(c);
          done();
        },
      }),
      tty ? { isTTY: true, rows: 24, columns: 120 } : {},
    );
    return { stream, text: () => text };
  }

  async function render(tty: boolean, events: Parameters<Awaited<ReturnType<typeof renderEvents>>['emit']>[0][]) {
    const out = sink(tty);
    const err = sink(tty);
    const output = new Output({ stdout: out.stream, stderr: err.stream }, 'never', tty ? {} : { CI: 'true' });
    const renderer = await renderEvents(output, false);
    for (const e of events) renderer.emit(e);
    renderer.finish(true);
    return err.text();
  }

  const PULL = [
    { type: 'images-checked', present: ['ui:1'], missing: ['postgres:16'] },
    { type: 'image-pull', progress: progress('pulling'), afterMs: 0 },
    { type: 'image-pull', progress: progress('downloading', 1_000_000), afterMs: 300 },
    { type: 'image-pull', progress: progress('downloading', 2_000_000), afterMs: 600 },
    { type: 'image-pull', progress: progress('downloading', 30_000_000), afterMs: 6_000 },
    { type: 'image-pull', progress: progress('pulled', 40_100_000), afterMs: 7_000 },
    { type: 'prerequisites-checked' },
  ] as const;

  it('prints one plain line per change of phase, and the bytes at most every 5 s, in CI', async () => {
    assert.equal(
      await render(false, [...PULL]),
      [
        'pulling 1 image(s) the Docker engine does not have yet...',
        'postgres:16: Pulling',
        'postgres:16: Downloading 1.0MB/40.1MB (2/5 layers)',
        'postgres:16: Downloading 30.0MB/40.1MB (2/5 layers)',
        'postgres:16: Pulled 40.1MB in 7.0s',
        '',
      ].join('\n'),
    );
  });

  it('redraws one line per image in place on a terminal and leaves the pulled picture', async () => {
    const text = await render(true, [...PULL]);
    assert.match(text, /\u001b\[2K/, 'log-update erases the previous lines');
    assert.match(text, /postgres:16 {2}\[=*> *\] Downloading 1\.0MB\/40\.1MB/);
    const last = text.slice(text.lastIndexOf('\u001b[G'));
    assert.match(last, /✔ postgres:16 {2}Pulled 40\.1MB in 7\.0s/);
  });

  it('keeps the start and end of each pull in the -o json document, not the byte ticks', async () => {
    const out = sink(false);
    const output = new Output({ stdout: out.stream, stderr: sink(false).stream }, 'never', { CI: 'true' });
    const renderer = await renderEvents(output, true);
    for (const e of PULL) renderer.emit(e);
    renderer.finish(true);
    const doc = JSON.parse(out.text()) as { events: { type: string; progress?: PullProgress }[] };
    assert.deepEqual(
      doc.events.map((e) => `${e.type}${e.progress ? `:${e.progress.phase}` : ''}`),
      ['images-checked', 'image-pull:pulling', 'image-pull:pulled', 'prerequisites-checked'],
    );
  });
});

describe('registry logins and references', () => {
  it('finds the registry of a reference as docker does', () => {
    assert.equal(registryOf('postgres:16'), 'docker.io');
    assert.equal(registryOf('temporalio/server:1.31.2'), 'docker.io');
    assert.equal(registryOf('registry.example.com/mirror/temporalio/server:1'), 'registry.example.com');
    assert.equal(registryOf('127.0.0.1:5000/x:1'), '127.0.0.1:5000');
    assert.equal(registryOf('localhost/tctl-e2e/postgres:15'), 'localhost');
    assert.deepEqual(splitReference('127.0.0.1:5000/x/y:1'), { fromImage: '127.0.0.1:5000/x/y', tag: '1' });
    assert.deepEqual(splitReference('127.0.0.1:5000/x'), { fromImage: '127.0.0.1:5000/x', tag: 'latest' });
    assert.deepEqual(splitReference('x@sha256:ab'), { fromImage: 'x', tag: 'sha256:ab' });
  });

  it('reads the base64 login of config.json auths for the reference registry, Docker Hub under its v1 key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tctl-docker-config-'));
    try {
      const auth = (s: string) => Buffer.from(s).toString('base64');
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({
          auths: {
            'https://index.docker.io/v1/': { auth: auth('hub-user:hub:pass') },
            'registry.example.com': { auth: auth('me:secret') },
          },
          credsStore: 'desktop',
        }),
      );
      const env = { DOCKER_CONFIG: dir };
      assert.deepEqual(registryAuth('postgres:16', env), {
        serveraddress: 'docker.io',
        username: 'hub-user',
        password: 'hub:pass',
      });
      assert.deepEqual(registryAuth('registry.example.com/mirror/postgres:16', env), {
        serveraddress: 'registry.example.com',
        username: 'me',
        password: 'secret',
      });
      assert.equal(registryAuth('other.example.com/x:1', env), undefined);
      assert.equal(registryAuth('postgres:16', { DOCKER_CONFIG: join(dir, 'absent') }), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows the engine sentence without the HTTP prefix, and once', () => {
    const error = Object.assign(new Error('(HTTP code 404) not found - manifest unknown: manifest unknown'), {
      statusCode: 404,
    });
    assert.equal(reasonOf(error), 'manifest unknown');
  });
});

describe('keysBehind names the keys a user changes for a value', () => {
  const parsed = (env: Record<string, string>) => {
    const r = parseConfig({ env });
    assert.ok(r.ok);
    return r;
  };

  it('follows computed defaults to the keys that were set (admin-tools: through its version to TEMPORAL_VERSION)', () => {
    const r = parsed({ TEMPORAL_VERSION: '1.31.9', TEMPORAL_IMAGE_REGISTRY: 'mirror.example.com' });
    assert.deepEqual(keysBehind(r.config, r.origins, 'TEMPORAL_ADMINTOOLS_IMAGE'), [
      'TEMPORAL_IMAGE_REGISTRY',
      'TEMPORAL_VERSION',
    ]);
  });

  it('leaves out an empty registry, and names an image key that was set itself', () => {
    const r = parsed({ TEMPORAL_UI_IMAGE: 'ui.example.com/ui:2' });
    assert.deepEqual(keysBehind(r.config, r.origins, 'TEMPORAL_SERVER_IMAGE'), ['TEMPORAL_VERSION']);
    assert.deepEqual(keysBehind(r.config, r.origins, 'TEMPORAL_UI_IMAGE'), ['TEMPORAL_UI_IMAGE']);
  });
});
