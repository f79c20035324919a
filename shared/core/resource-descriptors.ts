// in-toto ResourceDescriptors as SLSA v1.0 resolvedDependencies holds them: built from refSources,
// materials and the trigger-event link, then de-duplicated as Chains does.
import { DSSE_CONTENT_TYPE } from './formats.js';
import { canonicalJson } from './go-json.js';
import type { Material } from './materials.js';
import type { RefSource, TriggerEventLink } from './types.js';

// in-toto ResourceDescriptor (https://github.com/in-toto/attestation/blob/main/spec/v1/resource_descriptor.md).
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  content?: string;
  mediaType?: string;
  annotations?: Record<string, unknown>;
}

// Names Chains keeps even when an identical uri+digest(+content) was seen before.
const ALWAYS_KEPT = (name = '') =>
  name === 'task' || name === 'pipeline' || name.startsWith('stepAction/');

// A descriptor named `name` for a refSource (uri and digest only when present); none without one.
export function fromRefSource(
  name: string,
  refSource: RefSource | undefined
): ResourceDescriptor[] {
  if (!refSource) return [];
  const rd: ResourceDescriptor = { name };
  if (refSource.uri) rd.uri = refSource.uri;
  if (refSource.digest && Object.keys(refSource.digest).length > 0) {
    rd.digest = { ...refSource.digest };
  }
  return [rd];
}

// Materials as descriptors, each named `name` when one is given.
export function named(
  name: string | undefined,
  mats: Material[]
): ResourceDescriptor[] {
  return mats.map((m) => (name ? { name, ...m } : { ...m }));
}

// The signed trigger event this run links to (single-record mode embeds the envelope).
export function triggerEventDependency(
  link: TriggerEventLink | undefined
): ResourceDescriptor[] {
  if (!link) return [];
  const rd: ResourceDescriptor = {
    name: 'triggerEvent',
    uri: link.uri,
    digest: { sha256: link.payloadSha256 },
  };
  if (link.envelope) {
    rd.content = Buffer.from(JSON.stringify(link.envelope)).toString('base64');
    rd.mediaType = DSSE_CONTENT_TYPE;
  }
  return [rd];
}

// Chains' RemoveDuplicateResolvedDependencies: first occurrence of uri+digest+content wins.
export function dedupe(deps: ResourceDescriptor[]): ResourceDescriptor[] {
  const seen = new Set<string>();
  return deps.filter((rd) => {
    const key = canonicalJson({ c: rd.content, d: rd.digest, u: rd.uri });
    const duplicate = seen.has(key) && !ALWAYS_KEPT(rd.name);
    seen.add(key);
    return !duplicate;
  });
}
