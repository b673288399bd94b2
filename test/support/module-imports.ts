// What a TypeScript module imports, read from its text: the import tests (src-imports, src-layers)
// judge these. A regex, not the compiler: the sources follow one import style, and a test that
// loads typescript for this would be the slowest unit test by far.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ModuleImport {
  /** The module specifier as written, e.g. `../docker/client.js` or `node:child_process`. */
  readonly spec: string;
  /** `import type` / `export type`: gone after compilation, but a dependency of the design all the same. */
  readonly typeOnly: boolean;
  /** `import('...')`: loaded when first needed. */
  readonly dynamic: boolean;
}

/** Every module specifier a module's text imports or re-exports, statically or with import(). */
export function importsOf(text: string): ModuleImport[] {
  return [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(type\s)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({
      spec: m[2]!,
      typeOnly: m[1] !== undefined,
      dynamic: false,
    })),
    ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => ({
      spec: m[1]!,
      typeOnly: false,
      dynamic: false,
    })),
    ...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({
      spec: m[1]!,
      typeOnly: false,
      dynamic: true,
    })),
  ];
}

/** The .ts files under dir, recursively. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
