// How DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH become dockerode options (docker CLI semantics),
// and the pure prerequisite rules of `start`.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/project/load.js';
import { dockerOptions, engineError } from '../../src/docker/client.js';
import { isLocalEngine, memoryProblems } from '../../src/deploy/prerequisites.js';
import { OperationError } from '../../src/errors.js';

describe('dockerOptions', () => {
  it('uses the default socket when DOCKER_HOST is unset or unix:// is empty', () => {
    assert.deepEqual(dockerOptions({}), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(dockerOptions({ DOCKER_HOST: 'unix://' }), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(dockerOptions({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), {
      socketPath: '/run/user/1000/docker.sock',
    });
  });

  it('gives tcp:// without a port the docker CLI default 2375 over http (docker-modem alone would use 80)', () => {
    assert.deepEqual(dockerOptions({ DOCKER_HOST: 'tcp://10.0.0.5' }), {
      protocol: 'http',
      host: '10.0.0.5',
      port: 2375,
    });
    assert.deepEqual(dockerOptions({ DOCKER_HOST: '10.0.0.5:2375' }), {
      protocol: 'http',
      host: '10.0.0.5',
      port: 2375,
    });
  });

  it('switches to TLS with DOCKER_TLS_VERIFY (any value) or port 2376 and reads the certificates from DOCKER_CERT_PATH', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tctl-certs-'));
    try {
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(join(dir, f), `${f}-content`);
      const o = dockerOptions({ DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_CERT_PATH: dir });
      assert.equal(o.protocol, 'https');
      assert.equal(o.port, 2376);
      assert.equal(String(o.ca), 'ca.pem-content');
      assert.equal(String(o.key), 'key.pem-content');
      assert.equal(
        dockerOptions({ DOCKER_HOST: 'tcp://docker.example:9999', DOCKER_TLS_VERIFY: 'true', DOCKER_CERT_PATH: dir })
          .protocol,
        'https',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names DOCKER_CERT_PATH when TLS is asked for and a certificate is missing', () => {
    assert.throws(
      () => dockerOptions({ DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: '/nonexistent' }),
      (e: unknown) =>
        e instanceof OperationError && /TLS file \/nonexistent\/ca\.pem .* set DOCKER_CERT_PATH/.test(e.message),
    );
  });

  it("maps ssh://user@host[:port] to dockerode's ssh protocol (docker system dial-stdio on the remote host)", () => {
    const o = dockerOptions({
      DOCKER_HOST: 'ssh://ops@build.example',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
      DOCKER_SSH_KNOWN_HOSTS: '/nonexistent/known_hosts',
    }) as Record<string, unknown> & { sshOptions: { hostVerifier: (key: Buffer) => boolean } };
    const { hostVerifier, ...ssh } = o.sshOptions;
    assert.deepEqual(
      { ...o, sshOptions: ssh },
      {
        protocol: 'ssh',
        host: 'build.example',
        port: 22,
        username: 'ops',
        sshOptions: { agent: '/tmp/agent.sock' },
      },
    );
    // No known_hosts entry: any key is refused (test/integration/docker-ssh.test.ts runs a real sshd).
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.alloc(36, 7)]);
    assert.equal(hostVerifier(blob), false);
    assert.equal((dockerOptions({ DOCKER_HOST: 'ssh://ops@build.example:2222' }) as { port?: number }).port, 2222);
  });

  it('turns connection errors into the one sentence and leaves API errors alone', () => {
    const refused = engineError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'tcp://h:2375',
    );
    assert.ok(refused instanceof OperationError);
    assert.equal(
      refused.message,
      'Docker engine is not reachable at tcp://h:2375: start Docker (or set DOCKER_HOST) and retry',
    );
    const denied = engineError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'unix:///var/run/docker.sock');
    assert.match((denied as Error).message, /Permission denied .* add your user to the docker group/);
    const api = Object.assign(new Error('no such container'), { statusCode: 404 });
    assert.equal(engineError(api, 'x'), api);
  });
});

describe('start prerequisites (pure rules)', () => {
  const config = (env: Record<string, string>) => loadConfig({ envFile: '/dev/null', env }).config;

  it('asks for memory for Elasticsearch (twice its heap) plus every other limit', () => {
    const c = config({ TEMPORAL_VISIBILITY: 'elasticsearch', ELASTICSEARCH_HEAP: '1g' });
    const need =
      2048 +
      c.TEMPORAL_MEMORY.mib +
      c.POSTGRES_MEMORY.mib +
      c.TEMPORAL_UI_MEMORY.mib +
      c.TEMPORAL_ADMINTOOLS_MEMORY.mib;
    assert.deepEqual(memoryProblems(c, need * 1024 * 1024), []);
    const [problem] = memoryProblems(c, (need - 1) * 1024 * 1024);
    assert.match(
      problem!,
      new RegExp(
        `has ${need - 1} MiB of memory but the stack's limits add up to ${need} MiB \\(.*elasticsearch 2048 \\(ELASTICSEARCH_HEAP\\).*\\): give Docker more memory, lower one of those keys or set TEMPORAL_VISIBILITY=postgres`,
      ),
    );
  });

  it('does not count Elasticsearch with TEMPORAL_VISIBILITY=postgres', () => {
    const c = config({ TEMPORAL_VISIBILITY: 'postgres' });
    const need =
      c.TEMPORAL_MEMORY.mib + c.POSTGRES_MEMORY.mib + c.TEMPORAL_UI_MEMORY.mib + c.TEMPORAL_ADMINTOOLS_MEMORY.mib;
    assert.deepEqual(memoryProblems(c, need * 1024 * 1024), []);
    assert.doesNotMatch(memoryProblems(c, 100 * 1024 * 1024)[0]!, /elasticsearch/i);
  });

  it('checks host ports only when the engine runs on this machine', () => {
    assert.equal(isLocalEngine({}), true);
    assert.equal(isLocalEngine({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }), true);
    assert.equal(isLocalEngine({ DOCKER_HOST: 'ssh://ops@build.example' }), false);
    assert.equal(isLocalEngine({ DOCKER_HOST: 'tcp://10.0.0.5:2376' }), false);
  });
});
