// The reference pages in docs/commands/, written from the command table and the commander tree
// built from it, so a page says exactly what --help and the parser do. `npm run docs` writes them;
// test/unit/command-pages.test.ts fails when a page differs from what this would write.
import type { Command } from 'commander';
import { globalOptions } from '../commands/options.js';
import { COMMON_EXIT_CODES, type CommandSpec, type OptionSpec, pageName } from '../commands/spec.js';
import { commands, groups } from '../commands/table.js';
import { buildProgram, PROGRAM_SUMMARY } from './run.js';

const GENERATED = '<!-- Generated from src/commands/table.ts by `npm run docs`; edit the table, not this page. -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const sentence = (text: string): string => `${text[0]!.toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;

function optionRows(options: readonly OptionSpec[]): string[] {
  return [
    '| option | default | description |',
    '| --- | --- | --- |',
    ...options
      .filter((o) => !o.hidden)
      .map((o) => {
        const choices = o.choices ? ` One of: ${o.choices.map((c) => `\`${c}\``).join(', ')}.` : '';
        const key = o.configKey ? ` Sets \`${o.configKey}\`.` : '';
        const fallback = o.default ? `\`${o.default.text}\`` : '';
        return `| \`${o.flags}\` | ${fallback} | ${cell(sentence(o.description) + choices + key)} |`;
      }),
  ];
}

/** The commander command of a table entry, for its usage line. */
function commandAt(program: Command, path: readonly string[]): Command {
  let cmd = program;
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  return cmd;
}

function page(spec: CommandSpec, program: Command): string {
  const name = `temporal-ctl ${spec.path.join(' ')}`;
  const cmd = commandAt(program, spec.path);
  const lines = [GENERATED, '', `# ${name}`, '', sentence(spec.summary), ''];
  if (spec.description) lines.push(spec.description, '');
  lines.push('## Synopsis', '', '```sh', `${name} ${cmd.usage()}`, '```', '');
  if (spec.args?.length) {
    lines.push('## Arguments', '', '| argument | required | description |', '| --- | --- | --- |');
    for (const a of spec.args)
      lines.push(
        `| \`${a.name}${a.variadic ? '...' : ''}\` | ${a.required ? 'yes' : 'no'} | ${cell(sentence(a.description))} |`,
      );
    lines.push('');
  }
  lines.push('## Options', '');
  if (spec.options?.some((o) => !o.hidden)) lines.push(...optionRows(spec.options), '');
  lines.push('The [global options](README.md#global-options) work here too, before or after the command.', '');
  lines.push('## Output', '');
  const kind = {
    events:
      'Progress of each step on stderr (live on a terminal); with `-o json`, one JSON document on stdout when it ends:',
    document: 'Text on stdout; with `-o json`, one JSON document:',
    stream: 'Lines on stdout until it ends or Ctrl-C; with `-o json`, one JSON object per line (JSON Lines):',
  }[spec.output];
  lines.push(`${kind} ${spec.json}.`, '');
  lines.push('A failure prints `{"error": {"kind", "message", "hint", "exitCode"}}` with `-o json`.', '');
  lines.push('## Exit codes', '', '| code | meaning |', '| --- | --- |');
  for (const e of [...COMMON_EXIT_CODES, ...(spec.exitCodes ?? [])]) lines.push(`| ${e.code} | ${cell(e.meaning)} |`);
  lines.push('', '## Examples', '', '```sh', ...spec.examples, '```', '');
  return lines.join('\n');
}

function index(): string {
  const lines = [GENERATED, '', '# Command reference', '', sentence(PROGRAM_SUMMARY), ''];
  lines.push('| command | what it does |', '| --- | --- |');
  for (const spec of commands.filter((c) => !c.hidden))
    lines.push(`| [\`${spec.path.join(' ')}\`](${pageName(spec.path)}) | ${cell(spec.summary)} |`);
  lines.push('', 'Command groups:', '');
  for (const g of groups) lines.push(`- \`${g.path[0]}\`: ${g.summary}.`);
  lines.push('', '## Global options', '', ...optionRows(globalOptions), '');
  lines.push(
    'An option that sets a configuration key wins over the environment, which wins over temporal.env',
    '([configuration](../configuration.md)).',
    '',
  );
  lines.push('`--version` prints the version and `--help` the help of any command.', '');
  lines.push('## Exit codes', '', 'Every command:', '', '| code | meaning |', '| --- | --- |');
  for (const e of COMMON_EXIT_CODES) lines.push(`| ${e.code} | ${cell(e.meaning)} |`);
  lines.push('', 'Each page lists the codes its command adds.', '');
  lines.push(
    '## JSON',
    '',
    'With `-o json` (or `--json`) every command prints JSON on stdout, success or failure; progress and',
    'warnings stay on stderr. A failure is `{"error": {"kind", "message", "hint", "exitCode"}}`.',
    '',
  );
  return lines.join('\n');
}

/** Every page of docs/commands/ by file name. */
export function commandPages(): Map<string, string> {
  const program = buildProgram(() => {
    throw new Error('the reference pages run no command');
  });
  const pages = new Map<string, string>([['README.md', index()]]);
  for (const spec of commands.filter((c) => !c.hidden)) pages.set(pageName(spec.path), page(spec, program));
  return pages;
}

// `node dist/src/cli/command-pages.js --write docs/commands`
if (process.argv[1]?.endsWith('cli/command-pages.js') && process.argv[2] === '--write' && process.argv[3]) {
  const { mkdirSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = process.argv[3];
  mkdirSync(dir, { recursive: true });
  const pages = commandPages();
  for (const file of readdirSync(dir)) if (file.endsWith('.md') && !pages.has(file)) rmSync(join(dir, file));
  for (const [file, text] of pages) writeFileSync(join(dir, file), text);
}
