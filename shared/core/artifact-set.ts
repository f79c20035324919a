// Chains' AppendSubjects / AppendMaterials (slsa/internal/artifact/append.go): an entry with the same
// name and at least one equal digest is merged into the earlier one instead of being appended.

// A subject or material reduced to what de-duplication looks at.
export interface NamedDigest {
  name: string;
  digest: Record<string, string>;
}

function sameArtifact(a: NamedDigest, b: NamedDigest): boolean {
  if (a.name !== b.name) return false;
  return Object.entries(a.digest).some(
    ([alg, hex]) => (b.digest[alg] ?? '') === hex
  );
}

// Appends each item unless an equal one exists; digests of equal entries are merged. Inputs are not mutated.
export function appendArtifacts(
  existing: readonly NamedDigest[],
  items: readonly NamedDigest[]
): NamedDigest[] {
  const out = existing.map((a) => ({ name: a.name, digest: { ...a.digest } }));
  for (const item of items) {
    const match = out.find((a) => sameArtifact(a, item));
    if (match) Object.assign(match.digest, item.digest);
    else out.push({ name: item.name, digest: { ...item.digest } });
  }
  return out;
}

// SLSA v0.2 material: {uri, digest}.
export interface Material {
  uri: string;
  digest: Record<string, string>;
}

// AppendMaterials: the same merge rule keyed by uri.
export function appendMaterials(
  existing: readonly Material[],
  items: readonly Material[]
): Material[] {
  const toNamed = (m: Material): NamedDigest => ({
    name: m.uri,
    digest: m.digest,
  });
  return appendArtifacts(existing.map(toNamed), items.map(toNamed)).map(
    (a) => ({
      uri: a.name,
      digest: a.digest,
    })
  );
}
