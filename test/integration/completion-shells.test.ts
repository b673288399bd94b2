// The zsh and fish completion scripts, run by zsh and fish (scripts/test-env installs both; without
// them the suite skips, and fails under CI=true). bash runs in test/unit/completion.test.ts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { buildProgram } from '../../src/cli/run.js';
import { SERVICES, SERVICE_ALIASES } from '../../src/model/service-facts.js';
import { completionFile, shellWords } from '../support/completion.js';

const SERVICE_WORDS = [...SERVICES, ...Object.keys(SERVICE_ALIASES)];
/** The top-level commands a user sees in --help, in registration order (hidden ones left out). */
function visibleTopCommands(): string[] {
  const program = buildProgram(() => {
    throw new Error('no command runs here');
  });
  return program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
}
const isCI = process.env.CI === 'true' || process.env.CI === '1';
function skipWithout(shell: string): false | string {
  if (spawnSync(shell, ['-c', 'exit 0']).status === 0) return false;
  if (isCI) throw new Error(`${shell} is not installed (scripts/test-env up installs it)`);
  return `${shell} is not installed: run \`bash scripts/test-env up\` (it installs it)`;
}

describe('zsh completion, run by zsh', { skip: skipWithout('zsh') }, () => {
  let script: string;
  before(async () => {
    script = await completionFile('zsh');
  });
  /**
   * The candidates _temporal_ctl hands to compadd for the last word of `line`. compadd and _files
   * are stand-ins that print what they get (zsh itself then filters by the typed prefix).
   */
  const candidates = (line: string[]): string[] => {
    const out = execFileSync(
      'zsh',
      [
        '-f',
        '-c',
        `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _files() { print -r -- '<files>'; }
       source "$1"; words=(${shellWords(line)}); CURRENT=${line.length}; _temporal_ctl`,
        'zsh',
        script,
      ],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter((l) => l !== '');
  };

  it('offers the commands at the top, every visible command the CLI registers', () =>
    assert.deepEqual(candidates(['temporal-ctl', '']), visibleTopCommands()));
  it('offers subcommands after a global flag and its value', () =>
    assert.deepEqual(candidates(['temporal-ctl', '--env-file', 'x.env', 'namespace', '']), [
      'create',
      'list',
      'describe',
      'update',
      'delete',
    ]));
  it('offers service names for logs', () =>
    assert.deepEqual(candidates(['temporal-ctl', 'logs', 'server', '']), SERVICE_WORDS));
  it('offers the choices of -o and files for --tls-ca-path', () => {
    assert.deepEqual(candidates(['temporal-ctl', 'status', '-o', '']), ['text', 'json']);
    assert.deepEqual(candidates(['temporal-ctl', 'namespace', 'list', '--tls-ca-path', '']), ['<files>']);
  });

  it('completes in an interactive zsh with compinit (the real completion system)', async () => {
    // zsh/zpty drives an interactive shell: load the script after compinit, type, press Tab twice.
    const driver = `
      zmodload zsh/zpty
      zpty z 'TERM=dumb zsh -f -i'
      zpty -w z 'autoload -Uz compinit && compinit -u -D; source ${script}; PROMPT="> "'
      zpty -w -n z $'temporal-ctl namespace de\\t'; sleep 0.5; zpty -w -n z $'\\t'
      out=""; integer deadline=$(( SECONDS + 10 ))
      while (( SECONDS < deadline )) && [[ $out != *describe* || $out != *delete* ]]; do
        zpty -r -t z line && out+=$line || sleep 0.1
      done
      print -r -- "$out"; zpty -d z`;
    const r = spawnSync('zsh', ['-f', '-c', driver], { encoding: 'utf8', timeout: 20_000 });
    assert.match(r.stdout, /delete\s+describe/, r.stdout + r.stderr);
  });
});

describe('fish completion, run by fish', { skip: skipWithout('fish') }, () => {
  let script: string;
  before(async () => {
    script = await completionFile('fish');
  });
  /** What fish completes for `line` (complete -C), as [candidate, description] pairs. */
  const complete = (line: string): string[][] => {
    const out = execFileSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script, line], {
      encoding: 'utf8',
    });
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  };
  const words = (line: string) => complete(line).map(([w]) => w);

  it('completes commands with their descriptions', () => {
    const st = complete('temporal-ctl st');
    assert.deepEqual(
      st.map(([w]) => w),
      ['start', 'status', 'stop'],
    );
    assert.match(st.find(([w]) => w === 'status')![1]!, /^each service's container state/);
  });
  it('completes subcommands after a global flag and its value', () =>
    assert.deepEqual(words('temporal-ctl --env-file x.env namespace '), [
      'create',
      'delete',
      'describe',
      'list',
      'update',
    ]));
  it('completes service names for restart, also after another service', () =>
    assert.deepEqual(
      words('temporal-ctl restart server temporal-'),
      SERVICE_WORDS.filter((s) => s.startsWith('temporal-')).sort(),
    ));
  it("completes a command's flags and the global ones, but no other command's", () => {
    const flags = words('temporal-ctl status --');
    for (const f of ['--wait', '--timeout', '--interval', '--output', '--json', '--env-file', '--help'])
      assert.ok(flags.includes(f), f);
    assert.ok(!flags.includes('--volumes') && !flags.includes('--version'), flags.join(' '));
  });
  it('completes -o choices and the shells of completion', () => {
    assert.deepEqual(words('temporal-ctl status -o '), ['json', 'text']);
    assert.deepEqual(words('temporal-ctl completion '), ['bash', 'fish', 'zsh']);
    assert.deepEqual(words('temporal-ctl completion bash '), [], 'one shell only');
  });
});
