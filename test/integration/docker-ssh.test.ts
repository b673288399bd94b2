// DOCKER_HOST=ssh:// against a real OpenSSH sshd (Debian's openssh-server) on a free local port with
// its own host key, and the real engine behind it: docker-modem runs `docker system dial-stdio` over
// the ssh connection (the docker CLI of this machine plays the remote one), authenticated by a real
// ssh-agent. Known key: the engine answers. Unknown, changed or revoked key: refused during the key
// exchange, before authentication (sshd logs no accepted login), with one sentence naming the fix;
// the fix it names (ssh-keyscan) is then run and the connection works.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withDocker } from '../../src/docker/client.js';
import { fingerprint } from '../../src/docker/known-hosts.js';
import { OperationError } from '../../src/errors.js';
import { isCI } from '../support/env.js';
import { freePort } from '../support/free-ports.js';

const SSHD = '/usr/sbin/sshd';
const missing = !existsSync(SSHD) || !existsSync('/var/run/docker.sock') ? 'no sshd or local Docker engine' : false;
if (missing && isCI()) throw new Error(`docker-ssh: ${missing} (apt-get install openssh-server)`);

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

/** Waits until `text` shows how the process answered (a deadline, not a sleep). */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

describe('DOCKER_HOST=ssh:// verifies the host key against known_hosts (real sshd)', { skip: missing }, () => {
  let dir = '';
  let port = 0;
  let sshd: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  let sshdLog = '';
  let hostKey = ''; // the sshd's ed25519 public key line
  let otherKey = ''; // another ed25519 key, as a reinstalled host would present
  let env: Record<string, string> = {};
  const knownHosts = () => join(dir, 'known_hosts');
  const accepted = () => (sshdLog.match(/Accepted publickey/g) ?? []).length;
  const version = () => withDocker(env, (d) => d.version());

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tctl-ssh-'));
    port = await freePort();
    for (const k of ['host', 'other', 'client'])
      sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, k)]);
    hostKey = (await readFile(join(dir, 'host.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    otherKey = (await readFile(join(dir, 'other.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client.pub')));
    await writeFile(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'LogLevel VERBOSE',
      ].join('\n'),
    );
    mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr!.on('data', (b: Buffer) => {
      sshdLog += b.toString();
    });
    const sock = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    await until('ssh-agent', async () => existsSync(sock));
    execFileSync('ssh-add', ['-q', join(dir, 'client')], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
    await until('sshd to listen', async () => sshdLog.includes('Server listening'));
    const user = sh('id', ['-un']).trim();
    env = { DOCKER_HOST: `ssh://${user}@127.0.0.1:${port}`, SSH_AUTH_SOCK: sock, DOCKER_SSH_KNOWN_HOSTS: knownHosts() };
  });

  after(async () => {
    sshd?.kill();
    agent?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("with the sshd's key in known_hosts, the engine answers over ssh (docker system dial-stdio)", async () => {
    await writeFile(knownHosts(), `[127.0.0.1]:${port} ${hostKey}\n`);
    const before = accepted();
    const local = await withDocker({}, (d) => d.version());
    assert.equal((await version()).ApiVersion, local.ApiVersion);
    assert.equal(accepted(), before + 1, sshdLog);
  });

  it('a hashed entry (ssh-keygen -H) matches too', async () => {
    await writeFile(knownHosts(), `[127.0.0.1]:${port} ${hostKey}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHosts()], { stdio: 'ignore' });
    assert.match(await readFile(knownHosts(), 'utf8'), /^\|1\|/);
    assert.ok((await version()).ApiVersion);
  });

  it('a changed key is refused before authentication, naming the key it presents and the fix', async () => {
    await writeFile(knownHosts(), `[127.0.0.1]:${port} ${otherKey}\n`);
    const before = accepted();
    const error = await version().then(
      () => assert.fail('connected despite a changed host key'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationError, String(error));
    const print = fingerprint(Buffer.from(hostKey.split(' ')[1]!, 'base64'));
    // The fingerprint temporal-ctl prints is the one ssh-keygen prints for the sshd's key.
    assert.ok(sh('ssh-keygen', ['-lf', join(dir, 'host.pub')]).includes(print));
    assert.equal(
      error.message,
      `DOCKER_HOST [127.0.0.1]:${port} presents host key ${print}, not the one ${knownHosts()} lists for it (the host was reinstalled, or the connection is intercepted): once its admin confirms the new key, replace the old one with \`ssh-keygen -f ${knownHosts()} -R '[127.0.0.1]:${port}' && ssh-keyscan -p ${port} 127.0.0.1 >> ${knownHosts()}\``,
    );
    await new Promise((ok) => setTimeout(ok, 200)); // sshd's log of that connection
    assert.equal(accepted(), before, `sshd accepted a login:\n${sshdLog}`);
  });

  it('an unknown host is refused; running the ssh-keyscan the message names makes it work', async () => {
    await writeFile(knownHosts(), '');
    const before = accepted();
    const error = (await version().then(
      () => assert.fail('connected to an unknown host'),
      (e: unknown) => e,
    )) as Error;
    assert.match(error.message, /presents host key SHA256:\S+, which is not in .*known_hosts: compare it/);
    assert.equal(accepted(), before);
    const fix = /add it with `([^`]+)`/.exec(error.message)![1]!;
    assert.equal(fix, `ssh-keyscan -p ${port} 127.0.0.1 >> ${knownHosts()}`);
    execFileSync('sh', ['-c', fix], { stdio: 'ignore' });
    assert.ok((await version()).ApiVersion);
  });

  it('a key marked @revoked is refused even when also listed plainly', async () => {
    await writeFile(knownHosts(), `[127.0.0.1]:${port} ${hostKey}\n`);
    await appendFile(knownHosts(), `@revoked * ${hostKey}\n`);
    await assert.rejects(version(), /marks @revoked: the connection was refused/);
  });
});
