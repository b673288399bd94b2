// Nothing secret in a swarm service's environment (src/model/swarm-secrets.ts, the swarm service
// construct): a password becomes a swarm secret mounted as a file named after its variable, and the
// task exports it before the image's own command; postgres reads POSTGRES_PASSWORD_FILE itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENV_FROM_SECRETS, SECRET_ENV_DIR, secretEnvPath } from '../../src/model/swarm-secrets.js';
import { synth } from './stack-helpers.js';

const SWARM = {
  TEMPORAL_TARGET: 'swarm',
  TEMPORAL_TOPOLOGY: 'roles',
  TEMPORAL_VISIBILITY: 'postgres',
  TEMPORAL_IMAGE_REGISTRY: 'registry.example:5000',
  POSTGRES_PASSWORD: 'a-password-of-its-own',
};
const spec = (s: ReturnType<typeof synth>, id: string) => s.resources.docker_service![id].task_spec.container_spec;

describe('secrets on a swarm', () => {
  it("keeps the password out of every service's environment and mounts it as a secret file", () => {
    const s = synth(SWARM);
    for (const [id, svc] of Object.entries(s.resources.docker_service!))
      assert.ok(
        !JSON.stringify(svc.task_spec.container_spec.env ?? {}).includes('a-password-of-its-own'),
        `${id}'s environment holds the password`,
      );
    const history = spec(s, 'history');
    assert.deepEqual(
      (history.secrets as { file_name: string }[]).map((f) => f.file_name),
      [secretEnvPath('POSTGRES_PWD')],
    );
    // The shell exports it, then runs temporalio/server's own command.
    assert.deepEqual(history.command.slice(0, 2), ['sh', '-c']);
    assert.deepEqual(history.command.slice(3), ['sh', '/etc/temporal/entrypoint.sh']);
  });

  it("postgres reads POSTGRES_PASSWORD_FILE itself; its secret keeps its first value, like the container's environment on one host", () => {
    const s = synth(SWARM);
    const pg = spec(s, 'postgresql');
    assert.equal(pg.env.POSTGRES_PASSWORD_FILE, secretEnvPath('POSTGRES_PASSWORD'));
    assert.equal(pg.command, undefined, 'the image runs its own entrypoint');
    const secret = Object.values(s.resources.docker_secret!).find((x) => /POSTGRES-PASSWORD/.test(x.name));
    assert.deepEqual(secret?.lifecycle, { ignore_changes: ['data'] });
    assert.doesNotMatch(secret!.name, /-[0-9a-f]{12}$/, 'no digest in the name: a new password is not a new secret');
  });

  it("development's default password, which is also its user's name, stays a plain variable", () => {
    const s = synth({ ...SWARM, POSTGRES_PASSWORD: 'temporal' });
    assert.equal(spec(s, 'history').env.POSTGRES_PWD, 'temporal');
    assert.equal(spec(s, 'history').command, undefined);
  });

  it('the export runs in a real shell: each file becomes its variable, the command gets the arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-secret-env-'));
    mkdirSync(join(dir, 'env'));
    writeFileSync(join(dir, 'env', 'POSTGRES_PWD'), "p'w $x\n");
    const script = ENV_FROM_SECRETS.replaceAll(SECRET_ENV_DIR, join(dir, 'env'));
    const out = execFileSync('sh', ['-c', script, 'sh', 'sh', '-c', 'printf "%s|%s" "$POSTGRES_PWD" "$0"', 'arg0'], {
      encoding: 'utf8',
    });
    assert.equal(out, "p'w $x|arg0");
  });
});
