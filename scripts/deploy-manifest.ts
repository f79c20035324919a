// package.json and package-lock.json for the deployable source: production dependencies only, in sync, so
// that Cloud Build's `npm ci` installs exactly what the repository's lock file pins.
import { ConfigError } from '../shared/core/errors.js';

export interface RootPackage {
  name: string;
  version: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
}

interface LockEntry {
  dev?: boolean;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [field: string]: unknown;
}

// The deploy package.json: no scripts (Google's buildpack would run a `build` script), no devDependencies,
// `main` pointing at the bundle, and as dependencies only the packages left out of it, pinned to the
// versions the repository's lock file resolved. `used` (what the compiled functions import) must all be
// production dependencies of the repository, bundled or not.
export function deployPackageJson(
  root: RootPackage,
  lock: Lockfile,
  used: string[],
  externals: readonly string[],
  main: string
): Record<string, unknown> {
  const declared = root.dependencies ?? {};
  const undeclared = used.filter((name) => !(name in declared));
  if (undeclared.length > 0) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected the functions to import only production dependencies, got ${undeclared.join(', ')}`
    );
  }
  const dependencies: Record<string, string> = {};
  for (const name of [...externals].sort()) {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (typeof version !== 'string') {
      throw new ConfigError(
        'CONFIG_MISSING',
        `expected ${name} in package-lock.json (run npm install)`
      );
    }
    dependencies[name] = version;
  }
  return {
    name: root.name,
    version: root.version,
    private: true,
    type: 'module',
    main,
    engines: root.engines ?? { node: '>=20' },
    dependencies,
  };
}

// The repository's lock file cut down to the packages the deploy package.json needs: those reachable from
// its dependencies by Node's resolution through the lock's node_modules paths. `npm ci` then installs
// exactly what the repository's lock pins, nothing more.
export function deployLockfile(
  lock: Lockfile,
  pkg: Record<string, unknown>
): Lockfile {
  if (lock.lockfileVersion < 2 || typeof lock.packages !== 'object') {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected package-lock.json v2 or v3, got lockfileVersion ${lock.lockfileVersion}`
    );
  }
  const { name, version, engines, dependencies } = pkg;
  const rootEntry: LockEntry = { name, version, dependencies, engines };
  const packages: Record<string, LockEntry> = { '': rootEntry };
  const pending: [string, LockEntry][] = [['', rootEntry]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const dep of requiredNames(next[1])) {
      const path = resolveInLock(lock, next[0], dep);
      if (path === undefined || path in packages) continue;
      packages[path] = lock.packages[path]!;
      pending.push([path, packages[path]]);
    }
  }
  // Lockfile v2 also carries the v1 "dependencies" tree; drop it so npm reads only "packages".
  const pruned: Lockfile = { ...lock, packages: sortedKeys(packages) };
  delete pruned.dependencies;
  return pruned;
}

// Names an installed package needs: dependencies, optional ones, and peers not marked optional.
function requiredNames(entry: LockEntry): string[] {
  const field = (key: string) =>
    Object.keys((entry[key] as Record<string, string> | undefined) ?? {});
  const peerMeta = (entry.peerDependenciesMeta ?? {}) as Record<
    string,
    { optional?: boolean }
  >;
  const peers = field('peerDependencies').filter((n) => !peerMeta[n]?.optional);
  return [...field('dependencies'), ...field('optionalDependencies'), ...peers];
}

// Node's lookup from `from` (a lock path): its own node_modules, then each ancestor's, then the root's.
function resolveInLock(
  lock: Lockfile,
  from: string,
  dep: string
): string | undefined {
  for (let base = from; ;) {
    const path = `${base === '' ? '' : `${base}/`}node_modules/${dep}`;
    if (path in lock.packages) return path;
    if (base === '') return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at < 0 ? '' : base.slice(0, at);
  }
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  );
}
