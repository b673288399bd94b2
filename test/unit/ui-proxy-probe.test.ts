// The ui-proxy probe against a local HTTP server standing where the proxy publishes: healthy only
// when a request without credentials gets 401 (the gate holds); a 200 is an open gate. The real
// nginx gate is tested in test/e2e/ui-auth.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';
import { runOne } from '../../src/probes/run-probes.js';
import { uiProbe } from '../../src/probes/ui-probe.js';
import { uiProxyProbe } from '../../src/probes/ui-proxy-probe.js';

const servers: Server[] = [];
/** A server answering every request with `status`, recording the Authorization headers it got. */
function serve(status: number, seen: (string | undefined)[] = []): Promise<number> {
  return new Promise((ok) => {
    const s = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(status, { 'content-type': 'text/html' }).end(status === 200 ? '<script src="/_app/x.js">' : 'no');
    });
    servers.push(s);
    s.listen(0, '127.0.0.1', () => ok((s.address() as { port: number }).port));
  });
}
const config = (port: number) => {
  const r = parseConfig({
    env: {
      TEMPORAL_UI_AUTH: 'basic',
      TEMPORAL_UI_USER: 'ops',
      TEMPORAL_UI_PASSWORD: 'pw-9Xq',
      TEMPORAL_UI_PORT: String(port),
    },
  });
  assert.ok(r.ok);
  return r.config;
};

describe('ui-proxy probe', () => {
  after(() => {
    for (const s of servers) s.close();
  });

  it('is healthy when the gate answers 401 without credentials, and sends none', async () => {
    const seen: (string | undefined)[] = [];
    const r = await runOne(uiProxyProbe, config(await serve(401, seen)), 3_000);
    assert.equal(r.healthy, true, r.detail);
    assert.equal(r.detail, 'asks for credentials (401 without them)');
    assert.deepEqual(seen, [undefined]);
  });

  it('is unhealthy and says the gate is open when it serves without credentials', async () => {
    const r = await runOne(uiProxyProbe, config(await serve(200)), 3_000);
    assert.equal(r.healthy, false);
    assert.match(r.detail, /without credentials \(HTTP 200\): the gate is open/);
  });

  it('the UI probe goes through it with the credentials, and a refusal names the keys, not the password', async () => {
    const seen: (string | undefined)[] = [];
    const r = await runOne(uiProbe, config(await serve(401, seen)), 3_000);
    assert.equal(r.healthy, false);
    assert.match(r.detail, /refused TEMPORAL_UI_USER and TEMPORAL_UI_PASSWORD/);
    assert.doesNotMatch(r.detail, /9Xq/);
    assert.ok(seen.length > 0 && seen.every((h) => h === `Basic ${Buffer.from('ops:pw-9Xq').toString('base64')}`));
  });
});
