// Folds the engine's pull stream (one JSON message per line, one per layer event) into one line of
// progress per image, as docker compose shows it: the bytes of every layer added up. Pure: no I/O.

/** One message of POST /images/create's stream. */
export interface PullMessage {
  readonly status?: string;
  /** The layer (or, on the first message, the tag). */
  readonly id?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

export type PullPhase = 'pulling' | 'downloading' | 'extracting' | 'pulled';

export interface PullProgress {
  readonly ref: string;
  readonly phase: PullPhase;
  /** Bytes downloaded so far, over the layers whose size the registry told. */
  readonly current: number;
  /** Bytes to download in all (0 while unknown). */
  readonly total: number;
  readonly layers: number;
  readonly layersDone: number;
}

interface Layer {
  downloaded: number;
  size: number;
  state: 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done';
}

/** The layer states each status moves a layer to (statuses not listed leave it as it is). */
const LAYER_STATE: Readonly<Record<string, Layer['state']>> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Downloading: 'downloading',
  'Verifying Checksum': 'downloaded',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'done',
  'Already exists': 'done',
};

export class PullTracker {
  private readonly layers = new Map<string, Layer>();
  private finished = false;

  constructor(readonly ref: string) {}

  /** Takes one message; throws the engine's error when the message is one. */
  take(message: PullMessage): void {
    if (message.error || message.errorDetail) throw new Error(message.errorDetail?.message ?? message.error);
    const state = message.status ? LAYER_STATE[message.status] : undefined;
    if (!state || !message.id) return;
    const layer = this.layers.get(message.id) ?? { downloaded: 0, size: 0, state };
    layer.state = state;
    const detail = message.progressDetail;
    if (state === 'downloading' && detail?.total) {
      layer.size = detail.total;
      layer.downloaded = detail.current ?? layer.downloaded;
    }
    if (state !== 'waiting' && state !== 'downloading') layer.downloaded = layer.size;
    this.layers.set(message.id, layer);
  }

  /** The stream ended without an error: the image is on the engine. */
  finish(): void {
    this.finished = true;
  }

  progress(): PullProgress {
    const all = [...this.layers.values()];
    const states = new Set(all.map((l) => l.state));
    const phase: PullPhase = this.finished
      ? 'pulled'
      : states.has('waiting') || states.has('downloading')
        ? 'downloading'
        : all.some((l) => l.size > 0)
          ? 'extracting' // until the stream ends: the engine still registers the image
          : 'pulling'; // nothing to download (every layer already exists) or not known yet
    return {
      ref: this.ref,
      phase,
      current: all.reduce((sum, l) => sum + l.downloaded, 0),
      total: all.reduce((sum, l) => sum + l.size, 0),
      layers: all.length,
      layersDone: all.filter((l) => l.state === 'done').length,
    };
  }
}
