// `temporal-ctl completion bash|zsh|fish`: the scripts come from commander's command tree.
// bash runs for real here (COMP_WORDS → _temporal_ctl → COMPREPLY); zsh and fish run for real in
// test/integration/completion-shells.test.ts (scripts/test-env installs them); here their structure.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { Command, Option } from 'commander';
import { SERVICES, SERVICE_ALIASES } from '../../src/model/service-facts.js';
import { completionModel, valueFlags } from '../../src/completion/command-tree.js';
import { completionFile, shellWords } from '../support/completion.js';
import { runCli } from '../support/run-cli.js';

const SERVICE_WORDS = [...SERVICES, ...Object.keys(SERVICE_ALIASES)];

describe('bash completion, run by bash', () => {
  let script: string;
  before(async () => {
    script = await completionFile('bash');
  });
  /** What bash offers for the last word of `line` (the cursor at its end). */
  const complete = (line: string[]): string[] => {
    const out = execFileSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source "$1"; COMP_WORDS=(${shellWords(line)}); COMP_CWORD=${line.length - 1}; _temporal_ctl; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        script,
      ],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter((l) => l !== '');
  };

  it('completes commands from their first letters', () =>
    assert.deepEqual(complete(['temporal-ctl', 'st']), ['start', 'stop', 'status']));
  it('completes subcommands of a command group, skipping a global flag and its value', () =>
    assert.deepEqual(complete(['temporal-ctl', '--env-file', 'prod.env', 'namespace', 'd']), ['describe', 'delete']));
  it('completes service names and their aliases for logs and restart, after other services too', () => {
    assert.deepEqual(complete(['temporal-ctl', 'logs', '']), SERVICE_WORDS);
    assert.deepEqual(
      complete(['temporal-ctl', 'restart', 'server', 'p']),
      SERVICE_WORDS.filter((s) => s.startsWith('p')),
    );
  });
  it("completes a command's long flags, its ancestors' (global) flags included", () => {
    const flags = complete(['temporal-ctl', 'status', '--']);
    for (const f of ['--wait', '--timeout', '--interval', '--output', '--json', '--env-file', '--help'])
      assert.ok(flags.includes(f), f);
    assert.ok(!flags.includes('--version'), '--version only at the top');
    assert.ok(!flags.includes('--volumes'), 'no flag of another command');
  });
  it('offers the TLS flags under their Temporal CLI names, not the hidden former ones', () => {
    const flags = complete(['temporal-ctl', 'namespace', 'describe', '--tls']);
    assert.deepEqual(flags, ['--tls-cert-path', '--tls-key-path', '--tls-ca-path', '--tls-server-name']);
  });
  it('completes the choices of a flag value: -o text|json, --color', () => {
    assert.deepEqual(complete(['temporal-ctl', 'status', '-o', '']), ['text', 'json']);
    assert.deepEqual(complete(['temporal-ctl', '--color', 'a']), ['auto', 'always']);
  });
  it('offers nothing for a free value (--timeout) and does not count it as an argument', () => {
    assert.deepEqual(complete(['temporal-ctl', 'status', '--timeout', '']), []);
    assert.deepEqual(
      complete(['temporal-ctl', 'logs', '--since', '10m', 'ui']),
      SERVICE_WORDS.filter((s) => s.startsWith('ui')),
    );
  });
  it('never offers a hidden command (config env serves the test environment)', () =>
    assert.deepEqual(complete(['temporal-ctl', 'config', '']), ['show', 'check']));
  it('completes the shells of completion itself', () =>
    assert.deepEqual(complete(['temporal-ctl', 'completion', '']), ['bash', 'zsh', 'fish']));
  it('completes file names for --env-file and images save <file>', () => {
    const dir = script.slice(0, script.lastIndexOf('/'));
    assert.deepEqual(complete(['temporal-ctl', '--env-file', `${dir}/temporal-ctl.b`]), [`${dir}/temporal-ctl.bash`]);
    assert.deepEqual(complete(['temporal-ctl', 'images', 'save', `${dir}/temporal-ctl.b`]), [
      `${dir}/temporal-ctl.bash`,
    ]);
  });
});

describe('zsh and fish scripts (structure; run for real in the integration tests)', () => {
  it('zsh: a #compdef file that registers _temporal_ctl and hands candidates to compadd', async () => {
    const text = readFileSync(await completionFile('zsh'), 'utf8');
    assert.match(text, /^#compdef temporal-ctl\n/);
    assert.match(text, /compdef _temporal_ctl temporal-ctl/);
    assert.match(text, /compadd -- \$\{=candidates\}/);
    assert.match(text, /^ {4}"namespace"\) echo "create list describe update delete" ;;$/m);
    assert.match(
      text,
      new RegExp(
        `^ {4}"logs"\\) \\[ "\\$2" -ge 0 \\] && \\{ echo "${SERVICE_WORDS.join(' ')}"; return 0; \\} ;;$`,
        'm',
      ),
    );
  });
  it('fish: one complete line per subcommand, flag and argument, conditioned on the command path', async () => {
    const text = readFileSync(await completionFile('fish'), 'utf8');
    assert.match(text, /^complete -c temporal-ctl -f$/m);
    assert.match(text, /^complete -c temporal-ctl -n '__temporal_ctl_at \\'\\' 0' -a status -d 'each service/m);
    assert.match(
      text,
      /^complete -c temporal-ctl -n '__temporal_ctl_in \\'\\'' -s o -l output -x -a 'text json' -d 'text, or one JSON document/m,
    );
    assert.match(
      text,
      /^complete -c temporal-ctl -n '__temporal_ctl_in \\'namespace describe\\'' -l tls-ca-path -r -F -d /m,
    );
    assert.match(
      text,
      new RegExp(
        `^complete -c temporal-ctl -n '__temporal_ctl_at \\\\'logs\\\\' 0\\+' -a '${SERVICE_WORDS.join(' ')}' -d 'service'$`,
        'm',
      ),
    );
    assert.doesNotMatch(text, /-l tls-cert /, 'hidden former flag names are not offered');
  });
});

describe('completion command and model', () => {
  it('refuses an unknown shell with the choices, exit 2', async () => {
    const r = await runCli(['completion', 'powershell']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /command-argument value 'powershell' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish\./,
    );
  });
  it('refuses to model a flag that takes a value in one command and is a switch in another', () => {
    const program = new Command('x');
    program.command('a').option('--fast');
    program.command('b').addOption(new Option('--fast <level>'));
    assert.throws(() => valueFlags(completionModel(program)), /--fast takes a value in one command and not in another/);
  });
});
