// stacks/ stays pure infrastructure code: synth must not load anything that talks to a network.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// bcryptjs: pure computation (the Web UI proxy's password hash), no I/O; node:crypto for content
// digests (the names of swarm configs and secrets).
const ALLOWED = [
  /^cdktf$/,
  /^constructs$/,
  /^@cdktf\/provider-docker(\/.*)?$/,
  /^node:(fs|path|url|crypto)$/,
  /^bcryptjs$/,
  /^\.\.?\//,
];
const SRC_ALLOWED =
  /^(\.\.\/)+src\/(config\/(schema|value-types|profile|ui-auth|duration)|project\/(load|parse|paths)|model\/(services|service-facts|server-roles|swarm-placement|swarm-secrets|postgres-layout|names-and-endpoints|tls-settings|temporal-api|temporal-env|metrics-stack)|tls\/client-tls-env|errors|installed-package)\.js$/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('stacks/ imports only cdktf, constructs, the docker provider, node:fs/path/url/crypto, the config module, the service model (with the TLS settings) and the pure TLS client settings', () => {
  const files = tsFiles(join(ROOT, 'stacks'));
  assert.ok(files.length >= 10, 'found the stack sources');
  const offending: string[] = [];
  for (const file of files) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(
      /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm,
    )) {
      const ok = ALLOWED.some((re) => re.test(spec!)) && (!spec!.includes('src/') || SRC_ALLOWED.test(spec!));
      if (!ok) offending.push(`${relative(ROOT, file)}: ${spec}`);
    }
    assert.doesNotMatch(readFileSync(file, 'utf8'), /await import\(|require\(/, relative(ROOT, file));
  }
  assert.deepEqual(offending, []);
});
