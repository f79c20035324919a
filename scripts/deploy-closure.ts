// The set of compiled files the functions need: everything functions/index.js imports, transitively.
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../shared/core/errors.js';

// Static and literal dynamic imports/re-exports in tsc's ESM output.
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"\n]+)['"]/g;

export interface ImportClosure {
  // Paths relative to the dist root, sorted.
  files: string[];
  // npm package names imported from those files, sorted.
  packages: string[];
}

// "@scope/name/sub" → "@scope/name"; "name/sub" → "name".
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

// Lists the import specifiers written in one compiled module.
export function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1]!);
}

// Walks relative imports from `entry` (relative to `distRoot`); a missing target or one outside the
// functions/shared trees stops the build, since the deployed source would fail to start.
export function importClosure(distRoot: string, entry: string): ImportClosure {
  const root = resolve(distRoot);
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(root, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    checkInside(rel, entry);
    if (!existsSync(file)) {
      throw new ConfigError(
        'CONFIG_MISSING',
        `expected the compiled file ${join(distRoot, rel)} (run npm run build)`
      );
    }
    files.add(rel);
    if (!file.endsWith('.js')) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec));
      else if (!isBuiltin(spec)) packages.add(packageNameOf(spec));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function checkInside(rel: string, entry: string): void {
  const top = rel.split(sep)[0];
  if (top !== 'functions' && top !== 'shared') {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected ${entry} to import only functions/ and shared/, got ${rel}`
    );
  }
  if (rel.includes('.test.')) {
    throw new ConfigError('CONFIG_INVALID', `a test file is imported: ${rel}`);
  }
}
