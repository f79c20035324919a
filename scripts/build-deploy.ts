// `npm run build:deploy`: writes build/deploy, the deployable source of the three functions (compiled
// functions/ and shared/ files they import, no tests, no CLI) with a production-only package.json and lock.
// infra/source.tf zips that directory; `gcloud functions deploy --source build/deploy` takes it as is.
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../shared/core/errors.js';
import { importClosure } from './deploy-closure.js';
import {
  deployLockfile,
  deployPackageJson,
  type Lockfile,
  type RootPackage,
} from './deploy-manifest.js';

// The compiled module that registers attestRun, signEvent and reconcile.
export const FUNCTIONS_ENTRY = 'functions/index.js';

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
  files: string[];
  packages: string[];
  bytes: number;
}

// Copies the import closure of the functions entry and writes the production manifests.
export function buildDeploy(opts: DeployBuildOptions): DeployBuild {
  const root = resolve(opts.root);
  const dist = resolve(opts.dist ?? join(root, 'dist'));
  const out = resolve(opts.out ?? join(root, 'build', 'deploy'));
  const closure = importClosure(dist, FUNCTIONS_ENTRY);
  rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  for (const file of closure.files) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(dist, file), join(out, file));
    bytes += statSync(join(out, file)).size;
  }
  const rootPkg = readJson<RootPackage>(join(root, 'package.json'));
  const pkg = deployPackageJson(rootPkg, closure.packages, FUNCTIONS_ENTRY);
  writeJson(join(out, 'package.json'), pkg);
  const lock = readJson<Lockfile>(join(root, 'package-lock.json'));
  writeJson(join(out, 'package-lock.json'), deployLockfile(lock, pkg));
  return { out, files: closure.files, packages: closure.packages, bytes };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

// `node dist/scripts/build-deploy.js [--out DIR] [--dist DIR]` from the repository root.
function main(argv: string[]): number {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  try {
    const out = flag('--out');
    const dist = flag('--dist');
    const result = buildDeploy({
      root: process.cwd(),
      ...(out === undefined ? {} : { out }),
      ...(dist === undefined ? {} : { dist }),
    });
    process.stdout.write(
      `${result.out}: ${result.files.length} files, ${(result.bytes / 1024).toFixed(0)} KiB; ` +
        `imports ${result.packages.join(', ')}\n`
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
  process.exitCode = main(process.argv.slice(2));
}
