// Chains' type hints over run results (pkg/artifacts/signable.go): the low-level extractors that both
// the SLSA v0.2 and the SLSA v1.0 builders use. Malformed hints are skipped, never fatal.
import { parseDigestRef, type DigestRef } from './image-ref.js';
import type { RunResult } from './types.js';

// A URI with its digest as written ("<alg>:<hex>"), Chains' StructuredSignable.
export interface Signable {
  uri: string;
  digest: string;
}

const HEX_LENGTH: Readonly<Record<string, number>> = {
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

// Chains' ParseDigest: "<alg>:<hex>" with sha1/sha256/sha384/sha512 and the right hex length.
export function parseDigest(
  value: string
): { alg: string; hex: string } | undefined {
  const parts = value.split(':');
  if (parts.length !== 2) return undefined;
  const alg = (parts[0] ?? '').trim().toLowerCase();
  const hex = (parts[1] ?? '').trim();
  const size = HEX_LENGTH[alg];
  if (size === undefined || hex.length !== size) return undefined;
  return /^[a-f0-9]+$/.test(hex) ? { alg, hex } : undefined;
}

function stringValue(result: RunResult): string {
  return typeof result.value === 'string' ? result.value.trim() : '';
}

function objectValue(result: RunResult): Record<string, unknown> | undefined {
  const v = result.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? v
    : undefined;
}

// `<prefix><uriSuffix>` + `<prefix><digestSuffix>` string pairs (trimmed), in order of first appearance.
export function hintedPairs(
  results: readonly RunResult[],
  uriSuffix: string,
  digestSuffix: string
): Signable[] {
  const partial = new Map<string, { uri: string; digest: string }>();
  for (const result of results) {
    const value = stringValue(result);
    for (const [suffix, key] of [
      [uriSuffix, 'uri'],
      [digestSuffix, 'digest'],
    ] as const) {
      if (value === '' || !result.name.endsWith(suffix)) continue;
      const marker = result.name.slice(0, -suffix.length);
      const entry = partial.get(marker) ?? { uri: '', digest: '' };
      entry[key] = value;
      partial.set(marker, entry);
    }
  }
  return [...partial.values()].filter((s) => s.uri !== '' && s.digest !== '');
}

// A valid `*ARTIFACT_INPUTS` / `*ARTIFACT_OUTPUTS` object: non-empty uri and a parseable digest.
function structured(result: RunResult, marker: string): Signable | undefined {
  if (!result.name.endsWith(marker)) return undefined;
  const value = objectValue(result);
  const uri = value?.['uri'];
  const digest = value?.['digest'];
  if (typeof uri !== 'string' || uri === '') return undefined;
  if (typeof digest !== 'string' || digest === '') return undefined;
  return parseDigest(digest) ? { uri, digest } : undefined;
}

// `*ARTIFACT_INPUTS` or `*ARTIFACT_OUTPUTS` objects with a valid uri and digest (isBuildArtifact not needed).
export function extractStructuredTargets(
  results: readonly RunResult[],
  marker: 'ARTIFACT_INPUTS' | 'ARTIFACT_OUTPUTS'
): Signable[] {
  return results.flatMap((r) => structured(r, marker) ?? []);
}

// `*ARTIFACT_OUTPUTS` objects marked `isBuildArtifact: "true"` (the SLSA v1.0 subject rule).
export function extractBuildArtifacts(
  results: readonly RunResult[]
): Signable[] {
  return results.flatMap((r) =>
    objectValue(r)?.['isBuildArtifact'] === 'true'
      ? (structured(r, 'ARTIFACT_OUTPUTS') ?? [])
      : []
  );
}

// `*ARTIFACT_URI` / `*ARTIFACT_DIGEST` pairs with a parseable digest.
export function extractSignableTargets(
  results: readonly RunResult[]
): Signable[] {
  return hintedPairs(results, 'ARTIFACT_URI', 'ARTIFACT_DIGEST').filter((s) =>
    parseDigest(s.digest)
  );
}

// OCI images: `*IMAGE_URL`/`*IMAGE_DIGEST` pairs, then `IMAGES` entries, then build-artifact outputs.
export function extractOciImages(results: readonly RunResult[]): DigestRef[] {
  const refs = hintedPairs(results, 'IMAGE_URL', 'IMAGE_DIGEST').map(
    (s) => `${s.uri}@${s.digest}`
  );
  for (const result of results) {
    if (result.name !== 'IMAGES') continue;
    refs.push(...stringValue(result).split(/[\n,]/));
  }
  refs.push(
    ...extractBuildArtifacts(results).map((s) => `${s.uri}@${s.digest}`)
  );
  const seen = new Map<string, DigestRef>();
  for (const ref of refs) {
    const parsed = parseDigestRef(ref.trim());
    if (parsed) seen.set(`${parsed.repository}@${parsed.sha256}`, parsed);
  }
  return [...seen.values()];
}

// `*ARTIFACT_INPUTS` objects as SLSA v0.2 materials: uri as written, digest {alg: hex}.
export function materialsFromInputs(
  results: readonly RunResult[]
): { uri: string; digest: Record<string, string> }[] {
  return extractStructuredTargets(results, 'ARTIFACT_INPUTS').flatMap((s) => {
    const d = parseDigest(s.digest);
    return d ? [{ uri: s.uri, digest: { [d.alg]: d.hex } }] : [];
  });
}
