// The direction of imports between src/'s folders: the layers below, lowest first. A module may
// import its own folder and any entry of a lower layer; never a higher layer, nor another entry of
// its own layer (entries of one layer stand beside each other). Top-level files (src/errors.ts)
// are entries of their own. Every import counts: static, dynamic import() (a lazy load is still a
// dependency, and it is how cycles hid before), and `import type` (a type is part of the design it
// comes from: a higher folder's type in a lower one ties the two together just as a value would,
// and the compiler erasing it does not make the dependency go away).
//
// The layer list is also the "Module layers" section of docs/architecture.md, between its
// `<!-- layers:start -->` and `<!-- layers:end -->` lines. `npm run docs` rewrites it by running
// this module with `--write docs/architecture.md` (no tests are declared then).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importsOf, tsFiles } from '../support/module-imports.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Entry {
  /** A folder of src/ (`docker`), or a file directly in src/ (`errors.ts`). */
  readonly name: string;
  /** One line: what it is (the architecture doc shows it). */
  readonly what: string;
}

/** Lowest first. */
const LAYERS: readonly (readonly Entry[])[] = [
  [
    { name: 'errors.ts', what: 'the error classes with their exit codes, and a short reason for any thrown value' },
    { name: 'sleep.ts', what: 'a pause an AbortSignal ends early' },
    { name: 'bytes.ts', what: 'sizes as a person reads them' },
    { name: 'table.ts', what: 'text tables for read commands' },
    { name: 'http-get.ts', what: 'a small HTTP GET over node:http, for probes and the metrics scrape' },
    { name: 'installed-package.ts', what: 'where temporal-ctl is installed, and its version' },
  ],
  [
    { name: 'config', what: 'the config keys: their value types, defaults, profiles, secrets and reference' },
    { name: 'interrupts.ts', what: 'Ctrl-C and SIGTERM during a step, turned into an InterruptedError' },
    { name: 'completion', what: "shell completion scripts, read from commander's command tree" },
  ],
  [
    {
      name: 'model',
      what: 'the service model and what a config derives from it: names, endpoints, ports, volumes, TLS settings',
    },
    { name: 'output.ts', what: 'the one place that writes and colours text, with secrets redacted' },
    { name: 'metrics', what: "the server's Prometheus metrics: scraped, parsed and summarized" },
  ],
  [
    {
      name: 'project',
      what: "a project's config read from env file, secrets file, environment and flags, checked as a whole; where its files live",
    },
    { name: 'temporal', what: 'the gRPC connection to the Temporal frontend, and its failures in one sentence' },
  ],
  [
    { name: 'tls', what: 'certificates: issued, written, checked before start, their expiry, client settings' },
    {
      name: 'docker',
      what: 'the Docker engine adapter: client, containers, exec, inspect, images, logs, pulls, registry login',
    },
    { name: 'preflight', what: "first-start facts: what start's data checks compare with the state directory" },
  ],
  [
    {
      name: 'stores',
      what: "the stores' data through the engine: PostgreSQL data, role and guards, Elasticsearch password",
    },
    { name: 'namespaces', what: 'Temporal namespaces: declared, ensured, usable, shown' },
    { name: 'deploy', what: 'terraform: synth, plan, apply, destroy, its state, and running it' },
  ],
  [{ name: 'probes', what: "each service's health probe, and the status document" }],
  [{ name: 'backup', what: "backups of the cluster's databases: written, restored" }],
  [{ name: 'lifecycle', what: 'start, stop, down, upgrade and password rotation, step by step and interruptible' }],
  [
    {
      name: 'commands',
      what: 'the command table, what its commands share (options, parsers, prompts, the context) and their handlers',
    },
  ],
  [
    {
      name: 'cli',
      what: 'the runner: the table made into commander commands, rendered answers, exit codes, reference pages',
    },
  ],
];

const layerOf = new Map(LAYERS.flatMap((entries, i) => entries.map((e) => [e.name, i] as const)));

/** The entry a path under src/ belongs to: its folder, or the file itself when it is directly in src/. */
const entryOf = (path: string): string => path.split('/')[1]!;

/** `<file> imports <spec>: <why>` for each import against the layer order. */
function layerBreaches(modules: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of modules) {
    const from = entryOf(path);
    const fromLayer = layerOf.get(from);
    if (fromLayer === undefined) {
      found.push(`${path}: src/${from} is in no layer (add it to LAYERS)`);
      continue;
    }
    for (const { spec, typeOnly, dynamic } of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = posix.join(posix.dirname(path), spec);
      if (!target.startsWith('src/')) continue;
      const to = entryOf(target.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      const toLayer = layerOf.get(to);
      const how = typeOnly ? ' (type-only)' : dynamic ? ' (dynamic)' : '';
      if (toLayer === undefined) found.push(`${path} imports ${spec}${how}: src/${to} is in no layer`);
      else if (toLayer > fromLayer)
        found.push(
          `${path} imports ${spec}${how}: ${from} (layer ${fromLayer + 1}) is below ${to} (layer ${toLayer + 1})`,
        );
      else if (toLayer === fromLayer)
        found.push(
          `${path} imports ${spec}${how}: ${from} and ${to} share layer ${fromLayer + 1}, so neither imports the other`,
        );
    }
  }
  return found;
}

/** The layers as the architecture doc shows them: one line per layer, the highest first. */
export function renderLayers(): string {
  const lines = LAYERS.map(
    (entries, i) => `- Layer ${i + 1}: ${entries.map((e) => `\`${e.name}\` (${e.what})`).join(' · ')}`,
  ).reverse();
  return [
    'Highest layer first. A module imports its own folder and lower layers only, not another entry of its own layer.',
    '',
    ...lines,
  ].join('\n');
}

const START = '<!-- layers:start -->';
const END = '<!-- layers:end -->';

/** The text between the markers, or undefined when the document has none. */
function renderedBlock(doc: string): string | undefined {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return doc
    .slice(start + START.length, end)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}

function withBlock(doc: string, block: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`no ${START} ... ${END} lines`);
  return `${doc.slice(0, start + START.length)}\n${block}\n${doc.slice(end)}`;
}

const sources = () =>
  tsFiles(join(ROOT, 'src')).map((f) => ({
    path: relative(ROOT, f).split(sep).join('/'),
    text: readFileSync(f, 'utf8'),
  }));

const write = process.argv.indexOf('--write');
if (write >= 0) {
  const file = process.argv[write + 1] ?? 'docs/architecture.md';
  writeFileSync(file, withBlock(readFileSync(file, 'utf8'), renderLayers()));
} else {
  test('src/ imports follow the layers: no module imports a higher layer or a sibling of its own', () => {
    const modules = sources();
    assert.ok(modules.length > 40, 'found the sources');
    assert.deepEqual(layerBreaches(modules), []);
  });

  test('every entry of the layer table is in src/, once', () => {
    const present = new Set(sources().map((m) => entryOf(m.path)));
    const listed = LAYERS.flat().map((e) => e.name);
    assert.deepEqual(
      listed.filter((n) => !present.has(n)),
      [],
      'listed but not in src/',
    );
    assert.equal(new Set(listed).size, listed.length, 'listed twice');
  });

  test('the check fires: upward, sibling, type-only, dynamic and unlisted imports are reported', () => {
    assert.deepEqual(
      layerBreaches([
        { path: 'src/config/fake.ts', text: "import { SERVICES } from '../model/service-facts.js';\n" },
        { path: 'src/model/fake.ts', text: "import type { Probe } from '../probes/probe.js';\n" },
        { path: 'src/docker/fake.ts', text: "const { f } = await import('../stores/postgres-data.js');\n" },
        { path: 'src/tls/fake.ts', text: "import { withDocker } from '../docker/client.js';\n" },
        { path: 'src/errors.ts', text: "import { sleep } from './sleep.js';\n" },
        { path: 'src/newfolder/fake.ts', text: '' },
        { path: 'src/commands/fake.ts', text: "import { run } from '../cli/run.js';\n" },
        // Allowed: own folder, a lower layer.
        {
          path: 'src/probes/fake.ts',
          text: "import { x } from './probe.js';\nimport { y } from '../docker/client.js';\n",
        },
        { path: 'src/cli/fake.ts', text: "import { registerAll } from '../commands/index.js';\n" },
      ]),
      [
        'src/config/fake.ts imports ../model/service-facts.js: config (layer 2) is below model (layer 3)',
        'src/model/fake.ts imports ../probes/probe.js (type-only): model (layer 3) is below probes (layer 7)',
        'src/docker/fake.ts imports ../stores/postgres-data.js (dynamic): docker (layer 5) is below stores (layer 6)',
        'src/tls/fake.ts imports ../docker/client.js: tls and docker share layer 5, so neither imports the other',
        'src/errors.ts imports ./sleep.js: errors.ts and sleep.ts share layer 1, so neither imports the other',
        'src/newfolder/fake.ts: src/newfolder is in no layer (add it to LAYERS)',
        'src/commands/fake.ts imports ../cli/run.js: commands (layer 10) is below cli (layer 11)',
      ],
    );
  });

  test('docs/architecture.md shows the layers as declared here (regenerate: npm run docs)', () => {
    const path = join(ROOT, 'docs/architecture.md');
    const block = renderedBlock(readFileSync(path, 'utf8'));
    assert.ok(block !== undefined, `no ${START} ... ${END} lines in docs/architecture.md`);
    assert.equal(block, renderLayers());
  });
}
