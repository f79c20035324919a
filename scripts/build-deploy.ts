// `npm run build:deploy`: writes build/deploy, the deployable source of the three functions: one minified
// ESM bundle of the compiled functions/index.js (no tests, no CLI) and a package.json and lock holding only
// the packages left out of the bundle. infra/source.tf zips that directory; `gcloud functions deploy
// --source build/deploy` takes it as is.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../shared/core/errors.js';
import { bundleFunctions, CHUNK_DIR, EXTERNALS } from './deploy-bundle.js';
import { importClosure } from './deploy-closure.js';
import {
  deployLockfile,
  deployPackageJson,
  type Lockfile,
  type RootPackage,
} from './deploy-manifest.js';

// The compiled module that registers attestRun, signEvent and reconcile.
export const FUNCTIONS_ENTRY = 'functions/index.js';

// The bundle in the output directory (its package.json `main`).
export const DEPLOY_MAIN = 'index.js';

export interface DeployBuildOptions {
  // Repository root (package.json, package-lock.json).
  root: string;
  // tsc output directory (default <root>/dist).
  dist?: string;
  // Output directory, emptied first (default <root>/build/deploy).
  out?: string;
}

export interface DeployBuild {
  out: string;
  // Compiled files in the bundle (relative to dist) and the packages they import, bundled or not.
  files: string[];
  packages: string[];
  // The entry file, and it with its chunks.
  bytes: number;
  totalBytes: number;
  // Bundled packages evaluated at start, and those evaluated on first use (behind an import()).
  eager: string[];
  lazy: string[];
}

// Bundles the functions entry and writes the production manifests beside it.
export async function buildDeploy(
  opts: DeployBuildOptions
): Promise<DeployBuild> {
  const root = resolve(opts.root);
  const dist = resolve(opts.dist ?? join(root, 'dist'));
  const out = resolve(opts.out ?? join(root, 'build', 'deploy'));
  // Checks the entry's own files (functions/ and shared/ only, no tests) before bundling them.
  const closure = importClosure(dist, FUNCTIONS_ENTRY);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const bundle = await bundleFunctions(
    join(dist, FUNCTIONS_ENTRY),
    join(out, DEPLOY_MAIN)
  );
  const rootPkg = readJson<RootPackage>(join(root, 'package.json'));
  const lock = readJson<Lockfile>(join(root, 'package-lock.json'));
  const pkg = deployPackageJson(
    rootPkg,
    lock,
    closure.packages,
    EXTERNALS,
    DEPLOY_MAIN
  );
  writeJson(join(out, 'package.json'), pkg);
  writeJson(join(out, 'package-lock.json'), deployLockfile(lock, pkg));
  return { out, files: closure.files, packages: closure.packages, ...bundle };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

// `node dist/scripts/build-deploy.js [--out DIR] [--dist DIR]` from the repository root.
async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  try {
    const out = flag('--out');
    const dist = flag('--dist');
    const result = await buildDeploy({
      root: process.cwd(),
      ...(out === undefined ? {} : { out }),
      ...(dist === undefined ? {} : { dist }),
    });
    process.stdout.write(
      `${result.out}/${DEPLOY_MAIN}: ${(result.bytes / 1024).toFixed(0)} KiB (+ ${((result.totalBytes - result.bytes) / 1024).toFixed(0)} KiB in ${CHUNK_DIR}/) bundled from ` +
        `${result.files.length} files; installed: ${EXTERNALS.join(', ')}; ` +
        `loaded on first use: ${result.lazy.join(', ')}\n`
    );
    return 0;
  } catch (err) {
    process.stderr.write(`build:deploy: ${describeError(err)}\n`);
    return 2;
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
