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
import { CURL_CONFIG_VAR, CURL_SCRIPT, curlConfig, curlExec } from '../../src/stores/elasticsearch-password.js';

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

  /** The exec the module builds, run as the container runs it: its argv, and its env as the process's only variables (with PATH). */
  const run = (config: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const { cmd, env } = curlExec('POST', url, config);
      const vars = Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      const p = spawn(cmd[0]!, cmd.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...vars } });
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
  it('no secret is an argument: the built argv holds neither password, the env carries both to curl on stdin', async () => {
    const config = curlConfig('elastic', OLD, { password: NEW });
    const { cmd, env } = curlExec('POST', url, config);
    for (const secret of [OLD, NEW])
      for (const arg of cmd) assert.ok(!arg.includes(secret), `a password is in the argument ${JSON.stringify(arg)}`);
    assert.deepEqual(env, [`${CURL_CONFIG_VAR}=${config}`]);
    for (const secret of [OLD, NEW]) assert.ok(env[0]!.includes(secret));
    assert.ok(CURL_SCRIPT.startsWith(`printenv ${CURL_CONFIG_VAR} | curl -K - `), CURL_SCRIPT);
    assert.equal(cmd[2], CURL_SCRIPT);
    const sent = seen.length;
    const r = await run(config);
    assert.equal(r.stdout, '200', r.stderr);
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { password: NEW });
    assert.equal(seen.length, sent + 1);
  });
});
