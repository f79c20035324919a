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
// and `main` pointing at the compiled functions entry.
export function deployPackageJson(
  root: RootPackage,
  used: string[],
  main: string
): Record<string, unknown> {
  const dependencies = root.dependencies ?? {};
  const undeclared = used.filter((name) => !(name in dependencies));
  if (undeclared.length > 0) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected the functions to import only production dependencies, got ${undeclared.join(', ')}`
    );
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

// The repository's lock file minus dev-only packages (npm marks them "dev": true) and the root's
// devDependencies, so `npm ci` accepts it with the deploy package.json.
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
  const packages: Record<string, LockEntry> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') {
      const { name, version, engines, dependencies } = pkg;
      packages[path] = { name, version, engines, dependencies };
    } else if (entry.dev !== true) {
      packages[path] = entry;
    }
  }
  // Lockfile v2 also carries the v1 "dependencies" tree; drop it so npm reads only "packages".
  const pruned: Lockfile = { ...lock, packages };
  delete pruned.dependencies;
  return pruned;
}
