// Policy pieces: the trustedTasks entry types and the problem collector every reader reports into.
import { isObj, type Obj } from './json.js';

export interface TrustedBundle {
  bundle: string;
  digest?: string;
}
export interface TrustedGit {
  git: string;
  path: string;
  revision?: string;
}
export interface TrustedCluster {
  name: string;
  kind?: 'Task' | 'ClusterTask' | 'Pipeline';
  // The Task's namespace; without it, only Tasks of the run's own namespace match.
  namespace?: string;
}
export type TrustedTask = TrustedBundle | TrustedGit | TrustedCluster;

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REVISION = /^[0-9a-f]{40}$/;

// Collects problems with their YAML location so one error names all of them.
export class Problems {
  readonly list: string[] = [];
  add(at: string, message: string): void {
    this.list.push(`${at}: ${message}`);
  }
  str(
    obj: Obj,
    key: string,
    at: string,
    required: boolean
  ): string | undefined {
    const v = obj[key];
    if (v === undefined && !required) return undefined;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.add(
      `${at}.${key}`,
      `expected a non-empty string, got ${JSON.stringify(v)}`
    );
    return undefined;
  }
  keys(obj: Obj, allowed: string[], at: string): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k))
        this.add(
          at,
          `unknown key ${JSON.stringify(k)} (expected ${allowed.join(', ')})`
        );
    }
  }
}

// One trustedTasks / trustedPipelines entry: exactly one of bundle, git or name, with its optional pin.
export function readTrustedTask(
  v: unknown,
  at: string,
  p: Problems,
  kinds: readonly string[] = ['Task', 'ClusterTask']
): TrustedTask | undefined {
  if (!isObj(v))
    return void p.add(at, 'expected a mapping with bundle, git or name');
  const given = ['bundle', 'git', 'name'].filter((k) => k in v);
  if (given.length !== 1)
    return void p.add(
      at,
      `expected exactly one of bundle, git, name; got ${given.join(', ') || 'none'}`
    );
  if ('bundle' in v) return readBundle(v, at, p);
  if ('git' in v) return readGit(v, at, p);
  return readCluster(v, at, p, kinds);
}

function readBundle(v: Obj, at: string, p: Problems): TrustedTask | undefined {
  p.keys(v, ['bundle', 'digest'], at);
  const bundle = p.str(v, 'bundle', at, true);
  const digest = p.str(v, 'digest', at, false);
  if (digest !== undefined && !DIGEST.test(digest))
    p.add(
      `${at}.digest`,
      `expected sha256:<64 hex>, got ${JSON.stringify(digest)}`
    );
  return bundle === undefined
    ? undefined
    : { bundle, ...(digest && { digest }) };
}

function readGit(v: Obj, at: string, p: Problems): TrustedTask | undefined {
  p.keys(v, ['git', 'path', 'revision'], at);
  const git = p.str(v, 'git', at, true);
  const path = p.str(v, 'path', at, true);
  const revision = p.str(v, 'revision', at, false);
  if (revision !== undefined && !REVISION.test(revision))
    p.add(
      `${at}.revision`,
      `expected a 40-hex commit, got ${JSON.stringify(revision)}`
    );
  return git && path ? { git, path, ...(revision && { revision }) } : undefined;
}

function readCluster(
  v: Obj,
  at: string,
  p: Problems,
  kinds: readonly string[]
): TrustedTask | undefined {
  p.keys(v, ['name', 'kind', 'namespace'], at);
  const name = p.str(v, 'name', at, true);
  const kind = p.str(v, 'kind', at, false);
  const namespace = p.str(v, 'namespace', at, false);
  const known = kind !== undefined && kinds.includes(kind);
  if (kind !== undefined && !known)
    p.add(
      `${at}.kind`,
      `expected ${kinds.join(' or ')}, got ${JSON.stringify(kind)}`
    );
  return name === undefined
    ? undefined
    : {
        name,
        ...(known && { kind: kind as TrustedCluster['kind'] & string }),
        ...(namespace && { namespace }),
      };
}
