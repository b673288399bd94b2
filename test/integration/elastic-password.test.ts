// rotate-password's Elasticsearch half: the request that changes the superuser's password. X-Pack
// security cannot run here (the stand-in node has no security API), so a local HTTP server that
// requires Basic auth stands in for the node's /_security endpoints, and the real script runs with
// the real sh and curl, as in the container: credentials with shell and template syntax must reach
// the server exactly, and no secret may be an argument of any process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CURL_SCRIPT, curlConfig } from '../../src/docker/elasticsearch-password.js';

const OLD = "old'p$x%{y}${z}`w`";
const NEW = "n3w'p$HOME %41 {}";

describe("the Elasticsearch password change, by the real sh and curl against a stand-in of Elasticsearch's security API", () => {
  let url: string;
  const seen: { auth?: string; body: string; type?: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const auth = req.headers.authorization;
      seen.push({ auth, body, type: req.headers['content-type'] });
      const ok = auth === `Basic ${Buffer.from(`elastic:${OLD}`).toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(ok ? '{}' : `{"error":"unauthorized, you sent ${body}"}`);
    });
  });
  before(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_security/user/elastic/_password`;
  });
  after(() => server.close());

  /** The script as the container runs it; resolves with stdout, stderr and whether a secret was in argv. */
  const run = (config: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn('sh', ['-c', CURL_SCRIPT, 'sh', '-X', 'POST', url], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TEMPORAL_CTL_CURL: config },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('logs in with the old password and sends the new one as JSON, both exactly as written', async () => {
    const r = await run(curlConfig('elastic', OLD, { password: NEW }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '200', 'only the HTTP status is printed');
    const last = seen.at(-1)!;
    assert.equal(last.type, 'application/json');
    assert.deepEqual(JSON.parse(last.body), { password: NEW });
  });
  it('a refused login prints the status only, not the body that echoes the request', async () => {
    const r = await run(curlConfig('elastic', 'wrong', { password: NEW }));
    assert.equal(r.stdout, '401');
    assert.ok(!`${r.stdout}${r.stderr}`.includes(NEW));
  });
  it('no secret is an argument: the script and its arguments hold none', () => {
    for (const secret of [OLD, NEW]) assert.ok(!CURL_SCRIPT.includes(secret));
    assert.match(CURL_SCRIPT, /^printenv TEMPORAL_CTL_CURL \| curl -K - /);
  });
});
