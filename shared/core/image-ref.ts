// OCI image references read the way go-containerregistry's `name` package reads them (weak validation),
// which is what Chains uses for subjects: https://pkg.go.dev/github.com/google/go-containerregistry/pkg/name

export const DEFAULT_REGISTRY = 'index.docker.io';

const REPOSITORY_CHARS = /^[a-z0-9_\-./]{2,255}$/;
const TAG_CHARS = /^[\w.-]{1,128}$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;
const AUTHORITY =
  /^[A-Za-z0-9\-._~%!$&'()*+,;=]*(?::\d*)?$|^\[[0-9A-Fa-f:.]+\](?::\d*)?$/;

// A repository with its registry, as `name.Repository.Name()` prints it, plus the sha256 hex.
export interface DigestRef {
  repository: string;
  sha256: string;
}

// `busybox` → `index.docker.io/library/busybox`, `docker.io/x/y` → `index.docker.io/x/y`; undefined if invalid.
export function normaliseRepository(name: string): string | undefined {
  if (name.length === 0) return undefined;
  let registry = '';
  let repo = name;
  const slash = name.indexOf('/');
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':')) {
      registry = first;
      repo = name.slice(slash + 1);
    }
  }
  if (!REPOSITORY_CHARS.test(repo) || !AUTHORITY.test(registry)) {
    return undefined;
  }
  if (registry === '' || registry === 'docker.io') registry = DEFAULT_REGISTRY;
  const implicit = registry === DEFAULT_REGISTRY && !repo.includes('/');
  return `${registry}/${implicit ? `library/${repo}` : repo}`;
}

// Strips a `:tag` (never a registry port) like `name.NewTag`; undefined when the tag is malformed.
export function stripTag(name: string): string | undefined {
  const parts = name.split(':');
  const last = parts[parts.length - 1] ?? '';
  if (parts.length < 2 || last.includes('/')) return name;
  if (last !== '' && !TAG_CHARS.test(last)) return undefined;
  return parts.slice(0, -1).join(':');
}

// `repo[:tag]@sha256:<64 hex>` like `name.NewDigest`; malformed input gives undefined, never an exception.
export function parseDigestRef(reference: string): DigestRef | undefined {
  const parts = reference.split('@');
  if (parts.length !== 2) return undefined;
  const [base = '', digest = ''] = parts;
  if (!digest.startsWith('sha256:')) return undefined;
  const hex = digest.slice('sha256:'.length);
  if (!SHA256_HEX.test(hex)) return undefined;
  const untagged = stripTag(base);
  const repository =
    untagged === undefined ? undefined : normaliseRepository(untagged);
  return repository === undefined ? undefined : { repository, sha256: hex };
}
