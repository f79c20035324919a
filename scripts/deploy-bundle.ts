// The deployable functions as minified ESM: esbuild bundles dist/functions/index.js with every client
// library except the few that must stay installed packages (EXTERNALS), so a cold start parses a few files
// instead of resolving and loading ~1,400 modules. Code behind an import() goes to chunks/ (code splitting),
// so a cold start parses only what the entry point and its first request load (not verifyImage's verifier,
// Pub/Sub or Grafeas).
import { basename, dirname } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ConfigError } from '../shared/core/errors.js';
import { cjsNamedExports } from './deploy-cjs-named.js';
import { kubeConfigNarrow, nodeFetchUrl } from './deploy-trim.js';
import { packageNameOf } from './deploy-closure.js';

// Not bundled, installed from the deploy package.json instead: the platform runs functions-framework's own
// binary and `ff.http` must register into that module instance; google-gax (under @google-cloud/kms) finds its
// .proto files through __dirname, which a bundle does not have.
export const EXTERNALS = [
  '@google-cloud/functions-framework',
  '@google-cloud/kms',
  'google-gax',
] as const;

// Bundled CommonJS code calls `require` for Node built-ins; an ESM bundle has none unless given one.
const BANNER =
  "import { createRequire as __tpCreateRequire } from 'node:module';" +
  ' const require = __tpCreateRequire(import.meta.url);';

// Directory of the split-off chunks, beside the entry file.
export const CHUNK_DIR = 'chunks';

export interface Bundle {
  // The entry file, and all files written (entry + chunks).
  bytes: number;
  totalBytes: number;
  // Packages whose code is in the bundle and runs when it is imported.
  eager: string[];
  // Packages in the bundle reached only through a dynamic import(), evaluated on first use.
  lazy: string[];
}

// Bundles `entry` into `outfile` and chunks/ beside it (no source map: the zip carries only what runs).
export async function bundleFunctions(
  entry: string,
  outfile: string
): Promise<Bundle> {
  const result = await build({
    entryPoints: { [basename(outfile, '.js')]: entry },
    outdir: dirname(outfile),
    entryNames: '[name]',
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    splitting: true,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: [...EXTERNALS],
    banner: { js: BANNER },
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [kubeConfigNarrow, nodeFetchUrl, cjsNamedExports],
  });
  const metafile = result.metafile;
  const outputs = Object.entries(metafile.outputs);
  const bytes =
    outputs.find(([path]) => path.endsWith(basename(outfile)))?.[1].bytes ?? 0;
  const totalBytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  const eager = packagesOf(eagerInputs(metafile, entry));
  const lazy = packagesOf(Object.keys(metafile.inputs)).filter(
    (name) => !eager.includes(name)
  );
  return { bytes, totalBytes, eager, lazy };
}

// Inputs evaluated when the bundle is imported: reachable from the entry without crossing an import().
export function eagerInputs(metafile: Metafile, entry: string): string[] {
  const start = Object.keys(metafile.inputs).find((p) => entry.endsWith(p));
  if (start === undefined) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected ${entry} among the bundle inputs`
    );
  }
  const seen = new Set<string>([start]);
  for (const path of seen) {
    for (const edge of metafile.inputs[path]?.imports ?? []) {
      if (edge.external || edge.kind === 'dynamic-import') continue;
      seen.add(edge.path);
    }
  }
  return [...seen];
}

// npm package names of bundle input paths (those under node_modules), sorted.
function packagesOf(inputs: string[]): string[] {
  const names = new Set<string>();
  for (const path of inputs) {
    const at = path.lastIndexOf('node_modules/');
    if (at >= 0) names.add(packageNameOf(path.slice(at + 13)));
  }
  return [...names].sort();
}
