// Classifies a Tekton task reference the way Conforma keys tasks (reference/verification.md §5):
// bundle repository (+ digest), git URL + path (+ revision), cluster Task by name, or inline.

export type TaskRefInfo =
  | { type: 'bundle'; repository: string; tag?: string; digest?: string }
  | { type: 'git'; url: string; path?: string; revision?: string }
  | {
      type: 'cluster';
      name: string;
      kind: string;
      // The cluster resolver's `namespace` param; absent means the run's own namespace.
      namespace?: string;
      resolver?: 'cluster';
    }
  | { type: 'inline' }
  | { type: 'other'; resolver: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

// Resolver params: [{name, value}] as Tekton writes them (a name→value map is accepted too).
function paramOf(ref: Obj, name: string): string | undefined {
  const params = ref.params;
  if (Array.isArray(params)) {
    const hit = params.find((p) => isObj(p) && p.name === name) as
      Obj | undefined;
    return str(hit?.value);
  }
  return isObj(params) ? str(params[name]) : undefined;
}

// Splits an OCI reference into a normalised repository, tag and digest.
export function parseBundle(reference: string): {
  repository: string;
  tag?: string;
  digest?: string;
} {
  const [named = '', digest] = reference.replace(/^oci:\/\//, '').split('@');
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = normaliseRepository(
    hasTag ? named.slice(0, colon) : named
  );
  return {
    repository,
    ...(hasTag && { tag: named.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

// Docker Hub short names and index.docker.io are the same repository as docker.io/library/….
export function normaliseRepository(repository: string): string {
  const parts = repository.toLowerCase().split('/');
  const first = parts[0] ?? '';
  const isHost =
    first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isHost)
    return [
      'docker.io',
      ...(parts.length === 1 ? ['library'] : []),
      ...parts,
    ].join('/');
  if (first === 'index.docker.io') parts[0] = 'docker.io';
  return parts.join('/');
}

// Git URLs compare without `git+`, a trailing `.git` or `/`, and case.
export function normaliseGitUrl(url: string): string {
  return url
    .trim()
    .replace(/^git\+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

// A PipelineTask `ref` / TaskRun `spec.taskRef` (or a pipelineRef, kind Pipeline); `{}` or nothing means inline.
export function classifyRef(ref: unknown, defaultKind = 'Task'): TaskRefInfo {
  if (!isObj(ref) || Object.keys(ref).length === 0) return { type: 'inline' };
  const bundle = str(ref.bundle);
  if (bundle) return { type: 'bundle', ...parseBundle(bundle) };
  const resolver = str(ref.resolver);
  if (resolver === 'bundles') {
    const b = paramOf(ref, 'bundle');
    return b
      ? { type: 'bundle', ...parseBundle(b) }
      : { type: 'other', resolver };
  }
  if (resolver === 'git') {
    const url = paramOf(ref, 'url');
    if (!url) return { type: 'other', resolver: 'git (repo/org mode)' };
    const path = paramOf(ref, 'pathInRepo');
    const revision = paramOf(ref, 'revision');
    return {
      type: 'git',
      url,
      ...(path && { path }),
      ...(revision && { revision }),
    };
  }
  if (resolver === 'cluster') {
    const name = paramOf(ref, 'name');
    const kind = paramOf(ref, 'kind') === 'pipeline' ? 'Pipeline' : 'Task';
    const namespace = paramOf(ref, 'namespace');
    return name
      ? {
          type: 'cluster',
          name,
          kind,
          resolver,
          ...(namespace && { namespace }),
        }
      : { type: 'other', resolver };
  }
  if (resolver) return { type: 'other', resolver };
  const name = str(ref.name);
  if (!name) return { type: 'inline' };
  return { type: 'cluster', name, kind: str(ref.kind) ?? defaultKind };
}

// One-line form for reports: oci://repo:tag@digest, git+url//path@rev, Task/name, inline taskSpec.
export function describeRef(ref: TaskRefInfo): string {
  switch (ref.type) {
    case 'bundle':
      return `oci://${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
    case 'git':
      return `git+${ref.url}//${ref.path ?? ''}${ref.revision ? `@${ref.revision}` : ''}`;
    case 'cluster':
      return `${ref.resolver ? 'cluster resolver ' : ''}${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    case 'inline':
      return 'inline taskSpec';
    case 'other':
      return `resolver ${ref.resolver}`;
  }
}
