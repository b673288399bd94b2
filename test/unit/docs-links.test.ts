// Every relative Markdown link in README.md and docs/**/*.md points at a file that exists, and every
// #anchor matches a heading of the page it points into (GitHub's slugs); every path of the repository
// the prose names in code (src/…, stacks/…, scripts/…, test/…) exists, so a move cannot leave a page behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/installed-package.js';

const DOCS = join(PROJECT_ROOT, 'docs');

/** The files of a source folder, TypeScript, JavaScript and shell alike. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? codeFiles(path) : [path];
  });
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The page's lines, fenced code blocks and inline code spans blanked (line numbers kept). */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      lines.push('');
    } else lines.push(fence === undefined ? line.replace(/(`+)[\s\S]*?\1/g, (m) => ' '.repeat(m.length)) : '');
  }
  return lines;
}

/** GitHub's heading anchor: lowercase, punctuation dropped (letters, digits, `-`, `_` kept), spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Anchors of every heading of a page; a repeated heading gets -1, -2, ... as on GitHub. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fence = !fence;
    const heading = fence ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

interface Link {
  readonly from: string;
  readonly line: number;
  readonly target: string;
}

function links(file: string): Link[] {
  const from = relative(PROJECT_ROOT, file);
  return proseLines(readFileSync(file, 'utf8')).flatMap((line, i) =>
    [...line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({
      from,
      line: i + 1,
      target: m[1] as string,
    })),
  );
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);
const pages = [join(PROJECT_ROOT, 'README.md'), ...markdownFiles(DOCS)];

/** Every relative link of every page, with the file it resolves to. */
const relativeLinks = pages.flatMap((page) =>
  links(page)
    .filter((link) => !isExternal(link.target))
    .map((link) => {
      const [pathPart = '', anchor] = link.target.split('#', 2);
      const path = pathPart === '' ? page : resolve(dirname(page), decodeURIComponent(pathPart));
      return { ...link, path, anchor };
    }),
);

test('every relative link in README.md and docs/ points at a file that exists, and every anchor at a heading', () => {
  const problems: string[] = [];
  const headings = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    let set = headings.get(path);
    if (!set) headings.set(path, (set = anchors(readFileSync(path, 'utf8'))));
    return set;
  };
  for (const link of relativeLinks) {
    const where = `${link.from}:${link.line}: ${link.target}`;
    if (!existsSync(link.path)) problems.push(`${where}: no such file`);
    else if (link.anchor !== undefined && link.path.endsWith('.md') && !anchorsOf(link.path).has(link.anchor))
      problems.push(`${where}: no heading with that anchor in ${relative(PROJECT_ROOT, link.path)}`);
  }
  assert.deepEqual(problems, []);
});

test('every file of the repository a page names exists (src/, stacks/, scripts/, test/, bench/, temporal-config/)', () => {
  // A project's own file that the pages describe, not one of this repository.
  const usersFiles = new Set(['temporal-config/namespaces.yaml']);
  const missing: string[] = [];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8');
    for (const m of text.matchAll(/(?<![\w/.-])(?:src|stacks|scripts|test|bench|temporal-config)\/[\w./-]*\w/g)) {
      if (!existsSync(join(PROJECT_ROOT, m[0])) && !usersFiles.has(m[0]))
        missing.push(`${relative(PROJECT_ROOT, page)}: ${m[0]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every docs page (and its anchor) that the code names exists: hints point users at real sections', () => {
  const missing: string[] = [];
  const sources = ['src', 'stacks', 'scripts'].flatMap((dir) => codeFiles(join(PROJECT_ROOT, dir)));
  for (const file of sources) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w/-]+\.md)(?:#([\w-]+))?/g)) {
      const page = join(DOCS, m[1]!);
      const where = `${relative(PROJECT_ROOT, file)}: ${m[0]}`;
      if (!existsSync(page)) missing.push(`${where}: no such page`);
      else if (m[2] && !anchors(readFileSync(page, 'utf8')).has(m[2])) missing.push(`${where}: no such heading`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the anchor slug follows GitHub', () => {
  assert.equal(slug('`cdktf deploy` instead of `start`'), 'cdktf-deploy-instead-of-start');
  assert.equal(slug('Health, expiry, workers'), 'health-expiry-workers');
  assert.equal(slug('Server, schema and namespaces'), 'server-schema-and-namespaces');
  assert.equal(slug('A remote engine over ssh'), 'a-remote-engine-over-ssh');
  assert.equal(slug('status -o json'), 'status--o-json');
  assert.equal(slug('TEMPORAL_TLS and [TLS](x.md)'), 'temporal_tls-and-tls');
});
