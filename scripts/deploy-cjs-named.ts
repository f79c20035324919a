// esbuild plugin for the split deploy bundle: a chunk reached by import() exports only `default` when its
// module is CommonJS, while Node (and an unsplit bundle) also give its named exports. Each import() of a
// CommonJS package is therefore routed through a small ESM wrapper that re-exports those names.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'cjs-named';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// True when Node loads this file as CommonJS (.cjs, or .js under a package.json without "type": "module").
function isCommonJs(file: string): boolean {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8')
      ) as unknown;
      return (pkg as { type?: unknown }).type !== 'module';
    } catch {
      continue;
    }
  }
  return true;
}

// The ESM wrapper, as Node would give it: `default` is module.exports (whatever __esModule says), and each
// of its own keys is a named export; esbuild bundles the require() itself.
function wrapperOf(file: string): string {
  const exported = createRequire(file)(file) as Record<string, unknown>;
  const names = Object.keys(exported).filter(
    (k) => IDENTIFIER.test(k) && k !== 'default'
  );
  const path = JSON.stringify(file);
  return [
    `const m = require(${path});`,
    'export default m;',
    ...names.map((n) => `export const ${n} = m.${n};`),
  ].join('\n');
}

export const cjsNamedExports: Plugin = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === NAMESPACE)
        return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: NAMESPACE,
      });
      if (resolved.errors.length > 0 || resolved.external) return undefined;
      if (!isCommonJs(resolved.path)) return undefined;
      return { path: resolved.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: wrapperOf(args.path),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};
