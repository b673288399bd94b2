// A small GET for the HTTP probes (Elasticsearch, Web UI, ...) and the metrics scrape. node:http rather than undici:
// measured on the test env, undici's first request adds ~90 ms to process exit (V8
// background work for its WASM parser, drained at exit) and ~80 ms of import, which
// alone would spend a third of the 300 ms detection-lag budget of `status --wait`.
export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json?: unknown;
}

/** HTTP basic credentials (sent only in the Authorization header, never in the URL or a detail). */
export interface BasicAuth {
  readonly user: string;
  readonly password: string;
}

/** GETs url; the signal bounds the whole exchange (headers and body). An https url is verified against `ca` (PEM). */
export async function httpGet(url: string, signal: AbortSignal, auth?: BasicAuth, ca?: string): Promise<HttpAnswer> {
  const { get } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    // No agent: one connection per probe request, destroyed once the body is read.
    const req = get(url, { agent: false, signal, headers, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        res.socket?.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: parseJson(text) });
      });
    });
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
