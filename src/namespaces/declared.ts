// Namespaces declared in config: TEMPORAL_NAMESPACE (+ TEMPORAL_NAMESPACE_RETENTION),
// TEMPORAL_NAMESPACES, and temporal-config/namespaces.yaml (format: namespaces.example.yaml).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../installed-package.js';
import { namespaceNameProblem } from '../config/namespace-name.js';
import type { ClusterConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { parseRetention } from './retention.js';
import type { NamespaceSpec } from './ops.js';

/** Where `start` looks for declared namespaces; the file is optional. */
export const NAMESPACES_FILE = resolve(PROJECT_ROOT, 'temporal-config', 'namespaces.yaml');

export interface DeclaredSpec extends NamespaceSpec {
  /** Where it was declared, for messages: a config key or FILE:LINE. */
  source: string;
}

const FIELDS = ['name', 'retention', 'description', 'ownerEmail', 'data'];

/** Parses namespaces.yaml text; every problem is a ConfigError line "FILE:LINE: ...". */
export async function parseNamespacesYaml(text: string, file: string): Promise<DeclaredSpec[]> {
  const YAML = await import('yaml');
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines });
  const at = (offset: number | undefined) => `${file}:${lines.linePos(offset ?? 0).line}`;
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
      file,
    );
  }
  if (doc.contents === null) return [];
  const list = YAML.isMap(doc.contents) ? doc.contents.get('namespaces', true) : undefined;
  if (!YAML.isSeq(list))
    throw new ConfigError([`${at(doc.contents.range?.[0])}: expected a top-level "namespaces:" list`], file);
  const problems: string[] = [];
  const specs: DeclaredSpec[] = [];
  for (const item of list.items) {
    const where = at((item as { range?: [number] }).range?.[0]);
    if (!YAML.isMap(item)) {
      problems.push(`${where}: each entry needs name and retention, e.g. "- name: billing" and "retention: 30d"`);
      continue;
    }
    const entry = item.toJSON() as Record<string, unknown>;
    const spec = toSpec(entry, where, problems);
    if (spec) specs.push(spec);
  }
  if (problems.length > 0) throw new ConfigError(problems, file);
  return specs;
}

function toSpec(e: Record<string, unknown>, where: string, problems: string[]): DeclaredSpec | undefined {
  const before = problems.length;
  for (const key of Object.keys(e))
    if (!FIELDS.includes(key)) problems.push(`${where}: unknown field "${key}"; allowed: ${FIELDS.join(', ')}`);
  const name = typeof e.name === 'string' ? e.name : '';
  const nameProblem = namespaceNameProblem(name);
  if (nameProblem) problems.push(`${where}: ${nameProblem}`);
  let retentionMs = 0;
  try {
    retentionMs = parseRetention(String(e.retention ?? ''));
  } catch (error) {
    problems.push(`${where}: retention ${e.retention === undefined ? 'is missing' : (error as Error).message}`);
  }
  for (const key of ['description', 'ownerEmail'] as const) {
    if (e[key] !== undefined && typeof e[key] !== 'string') problems.push(`${where}: ${key} must be a string`);
  }
  const data = e.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    problems.push(`${where}: data must be a map of KEY: VALUE`);
  if (problems.length > before) return undefined;
  const strings = Object.fromEntries(
    Object.entries(data as object).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return {
    name,
    retentionMs,
    description: e.description as string | undefined,
    ownerEmail: e.ownerEmail as string | undefined,
    data: strings,
    source: where,
  };
}

/** Every declared namespace, config keys first; a name declared twice with different retentions is a ConfigError. */
export async function declaredNamespaces(c: ClusterConfig, file = NAMESPACES_FILE): Promise<DeclaredSpec[]> {
  const all: DeclaredSpec[] = [
    { name: c.TEMPORAL_NAMESPACE, retentionMs: c.TEMPORAL_NAMESPACE_RETENTION, source: 'TEMPORAL_NAMESPACE' },
    ...c.TEMPORAL_NAMESPACES.map((n) => ({ ...n, source: 'TEMPORAL_NAMESPACES' })),
    ...(existsSync(file) ? await parseNamespacesYaml(readFileSync(file, 'utf8'), file) : []),
  ];
  const byName = new Map<string, DeclaredSpec>();
  for (const spec of all) {
    const seen = byName.get(spec.name);
    if (!seen) byName.set(spec.name, spec);
    else if (seen.retentionMs !== spec.retentionMs) {
      throw new ConfigError(
        [
          `namespace "${spec.name}" is declared with different retentions in ${seen.source} and ${spec.source}; keep one`,
        ],
        spec.source,
      );
    } else if (seen.source === 'TEMPORAL_NAMESPACE' || seen.source === 'TEMPORAL_NAMESPACES') {
      byName.set(spec.name, spec); // the file's entry carries description, owner and data
    }
  }
  return [...byName.values()];
}
