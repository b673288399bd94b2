// How start and down show the lifecycle core's events: results on stdout, progress on stderr, and
// with -o json exactly one document (none on failure: the error document is the only one).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { renderEvents } from '../../src/commands/render-events.js';
import type { LifecycleEvent } from '../../src/lifecycle/events.js';
import { Output } from '../../src/output.js';

function capture() {
  const text = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(c, _e, done) {
        text[name] += String(c);
        done();
      },
    });
  return { out: new Output({ stdout: sink('stdout'), stderr: sink('stderr') }, 'never', { CI: 'true' }), text };
}

const healthy = {
  stack: 'demo-development',
  mode: 'containers',
  healthy: true,
  checkedAt: new Date(0),
  elapsedMs: 3,
  warnings: [],
  services: [{ service: 'server', instance: 'server', container: null, healthy: true, detail: 'SERVING' }],
} as const;

const EVENTS: LifecycleEvent[] = [
  { type: 'prerequisites-checked' },
  {
    type: 'synthesized',
    stack: 'demo-development',
    dir: '/p/.temporal-ctl/cdktf.out/stacks/demo-development',
    stateFile: '/p/.temporal-ctl/terraform.demo-development.tfstate',
  },
  { type: 'apply-started', replace: [] },
  { type: 'resource', change: { address: 'docker_container.server', action: 'create', phase: 'started' } },
  {
    type: 'resource',
    change: { address: 'docker_container.server', action: 'create', phase: 'complete', elapsedSeconds: 12 },
  },
  { type: 'applied' },
  { type: 'waiting', timeoutMs: 180_000 },
  { type: 'status', status: { ...healthy, healthy: false } as never },
  { type: 'status', status: healthy as never },
  { type: 'healthy', afterMs: 1_234 },
  { type: 'namespace-waiting', name: 'default', reason: 'Namespace default is not found.' },
  {
    type: 'namespace-ensured',
    result: {
      name: 'default',
      action: 'created',
      retentionMs: 7 * 86_400_000,
      declaredRetentionMs: 7 * 86_400_000,
      retentionMismatch: false,
      source: 'TEMPORAL_NAMESPACE',
      usableAfterMs: 812,
    },
  },
  {
    type: 'ready',
    stack: 'demo-development',
    endpoints: [{ label: 'gRPC', url: '127.0.0.1:7233' }],
    clientEnv: { TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'default' },
  },
];

describe('renderEvents', () => {
  it('text: the endpoints (the result) on stdout, progress and resource changes on stderr', async () => {
    const { out, text } = capture();
    const r = await renderEvents(out, false);
    EVENTS.forEach(r.emit);
    r.finish(true);
    assert.equal(text.stdout, 'Temporal cluster demo-development:\n  gRPC          127.0.0.1:7233\n');
    assert.match(
      text.stderr,
      /synthesized stack demo-development \(state: \/p\/\.temporal-ctl\/terraform\.demo-development\.tfstate\)/,
    );
    assert.match(text.stderr, /docker_container\.server: create complete after 12s/);
    assert.doesNotMatch(text.stderr, /create started/, 'a start is not worth a line');
    assert.match(text.stderr, /server: healthy after/);
    assert.match(text.stderr, /every service is healthy after 1s200ms/);
    assert.match(
      text.stderr,
      /namespace default: waiting until workers can use it \(the frontend still answers: Namespace default is not found\.\)/,
    );
    assert.match(text.stderr, /namespace default: created, usable by workers after 800ms/);
  });

  it('text: with TEMPORAL_TLS on, the TLS settings a worker sets follow the endpoints', async () => {
    const { out, text } = capture();
    const r = await renderEvents(out, false);
    r.emit({
      type: 'ready',
      stack: 'demo-development',
      endpoints: [{ label: 'gRPC', url: '127.0.0.1:7233' }],
      clientEnv: {
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/p/.temporal-ctl/certs/ca.pem',
        TEMPORAL_TLS_SERVER_NAME: 'demo-server',
      },
    });
    r.finish(true);
    assert.equal(
      text.stdout,
      'Temporal cluster demo-development:\n  gRPC          127.0.0.1:7233\n  TEMPORAL_TLS_SERVER_CA_CERT_PATH=/p/.temporal-ctl/certs/ca.pem\n  TEMPORAL_TLS_SERVER_NAME=demo-server\n',
    );
  });

  it('-o json: one document with every event but the per-round status (only the last is kept), and the endpoints', async () => {
    const { out, text } = capture();
    const r = await renderEvents(out, true);
    EVENTS.forEach(r.emit);
    r.finish(true);
    const doc = JSON.parse(text.stdout) as {
      stack: string;
      endpoints: unknown[];
      clientEnv: unknown;
      events: { type: string; status?: { healthy: boolean } }[];
    };
    assert.equal(doc.stack, 'demo-development');
    assert.deepEqual(doc.endpoints, [{ label: 'gRPC', url: '127.0.0.1:7233' }]);
    assert.deepEqual(doc.clientEnv, { TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'default' });
    const statuses = doc.events.filter((e) => e.type === 'status');
    assert.equal(statuses.length, 1);
    assert.equal(statuses[0]!.status!.healthy, true);
    assert.equal(doc.events.filter((e) => e.type === 'resource').length, 2);
    assert.equal(text.stderr, '');
  });

  it('-o json: a failure prints no document of its own (run() prints the error document)', async () => {
    const { out, text } = capture();
    const r = await renderEvents(out, true);
    EVENTS.slice(0, 4).forEach(r.emit);
    r.finish(false);
    assert.equal(text.stdout, '');
  });
});
