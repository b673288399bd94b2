// known_hosts as OpenSSH reads it: which lines list a host, and what a presented key then means.
// The real handshake against a real sshd is test/integration/docker-ssh.test.ts.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostKeyAlgorithms, knownHostsFiles, knownKeys, verifyHostKey } from '../../src/docker/known-hosts.js';

const blob = (type: string, fill: number) =>
  Buffer.concat([Buffer.alloc(4, 0), Buffer.from(type), Buffer.alloc(32, fill)]).fill(type.length, 3, 4);
const ED = blob('ssh-ed25519', 1);
const ED2 = blob('ssh-ed25519', 2);
const RSA = blob('ssh-rsa', 3);
const b64 = (b: Buffer) => b.toString('base64');
const hashed = (name: string) => {
  const salt = Buffer.alloc(20, 9);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('known_hosts', () => {
  let dir = '';
  let file = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tctl-kh-'));
    file = join(dir, 'known_hosts');
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const keysFor = async (text: string, host: string, port = 22) => {
    await writeFile(file, text);
    return knownKeys([file], host, port);
  };

  it('lists a host by name, by [host]:port off port 22, by hashed name and by pattern, honouring negation', async () => {
    assert.equal((await keysFor(`docker.example ssh-ed25519 ${b64(ED)}\n`, 'docker.example')).length, 1);
    assert.equal((await keysFor(`docker.example ssh-ed25519 ${b64(ED)}\n`, 'docker.example', 2222)).length, 0);
    assert.equal((await keysFor(`[docker.example]:2222 ssh-ed25519 ${b64(ED)}\n`, 'docker.example', 2222)).length, 1);
    assert.equal((await keysFor(`${hashed('[h]:2222')} ssh-ed25519 ${b64(ED)}\n`, 'h', 2222)).length, 1);
    assert.equal((await keysFor(`${hashed('other')} ssh-ed25519 ${b64(ED)}\n`, 'h')).length, 0);
    assert.equal((await keysFor(`*.example,!bad.example ssh-ed25519 ${b64(ED)}\n`, 'ok.example')).length, 1);
    assert.equal((await keysFor(`*.example,!bad.example ssh-ed25519 ${b64(ED)}\n`, 'bad.example')).length, 0);
    assert.equal(
      (await keysFor(`# h ssh-ed25519 ${b64(ED)}\n@cert-authority h ssh-ed25519 ${b64(ED)}\n`, 'h')).length,
      0,
    );
  });

  it('accepts a listed key; a listed host with another key is changed, an unlisted one unknown, @revoked wins', async () => {
    const known = await keysFor(`h ssh-ed25519 ${b64(ED)}\n`, 'h');
    assert.deepEqual(verifyHostKey(known, ED), { ok: true });
    assert.equal((verifyHostKey(known, ED2) as { reason: string }).reason, 'changed');
    assert.equal((verifyHostKey([], ED) as { reason: string }).reason, 'unknown');
    const revoked = await keysFor(`h ssh-ed25519 ${b64(ED)}\n@revoked * ssh-ed25519 ${b64(ED)}\n`, 'h');
    assert.equal((verifyHostKey(revoked, ED) as { reason: string }).reason, 'revoked');
  });

  it("asks the host for the key types known_hosts lists (an RSA-only entry asks for RSA), ssh2's default when none", async () => {
    assert.deepEqual(hostKeyAlgorithms(await keysFor(`h ssh-rsa ${b64(RSA)}\n`, 'h')), [
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    assert.deepEqual(hostKeyAlgorithms(await keysFor(`h ssh-ed25519 ${b64(ED)}\n`, 'h')), ['ssh-ed25519']);
    assert.equal(hostKeyAlgorithms([]), undefined);
  });

  it("reads DOCKER_SSH_KNOWN_HOSTS alone when set, else the user's and the system's files", () => {
    assert.deepEqual(knownHostsFiles({ DOCKER_SSH_KNOWN_HOSTS: '/k' }), ['/k']);
    const files = knownHostsFiles({});
    assert.match(files[0]!, /\/\.ssh\/known_hosts$/);
    assert.equal(files[1], '/etc/ssh/ssh_known_hosts');
  });
});
