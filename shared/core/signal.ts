// The "attested" signal (issue #16): the message published once a run's runs/… objects are stored, and
// the unsigned marker envelope that records it was published. Pure: same facts, same bytes.
import type { Format } from './formats.js';
import type { Envelope, Subject, TektonRun } from './types.js';

// Message type, in the data and in the attributes (subscriptions filter on attributes).
export const ATTESTED_SIGNAL_TYPE = 'tekton-provenance.attested.v1';

// DSSE payloadType of the marker stored at signalKey(run); the marker has no signatures.
export const SIGNAL_PAYLOAD_TYPE =
  'application/vnd.tekton-provenance.signal+json';

// What the signal says about one attested run.
export interface SignalFacts {
  run: TektonRun;
  subjects: Subject[];
  keys: string[];
  formats: readonly Format[];
  // The store's location (a directory or gs:// URL), where a verifier reads the keys.
  store: string;
}

// A Pub/Sub message: JSON data (UTF-8) and string attributes.
export interface AttestedSignal {
  data: Buffer;
  attributes: Readonly<Record<string, string>>;
}

const HEX64 = /^[0-9a-f]{64}$/;

// The sha256 subjects of several payloads, one per digest (the smallest name wins), sorted by name then
// digest; subjects without a sha256 digest are left out.
export function unionSubjects(lists: readonly Subject[][]): Subject[] {
  const byHex = new Map<string, string>();
  for (const { name, digest } of lists.flat()) {
    const hex = digest['sha256']?.toLowerCase();
    if (hex === undefined || !HEX64.test(hex)) continue;
    const seen = byHex.get(hex);
    if (seen === undefined || name < seen) byHex.set(hex, name);
  }
  const sortKey = ([hex, name]: [string, string]) => `${name}\n${hex}`;
  return [...byHex]
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
    .map(([hex, name]) => ({ name, digest: { sha256: hex } }));
}

// The message verifyImage and release pipelines consume (docs/attest-run.md#the-attested-signal).
export function buildAttestedSignal(facts: SignalFacts): AttestedSignal {
  const { kind, metadata } = facts.run;
  const { namespace, name, uid } = metadata;
  const message = {
    type: ATTESTED_SIGNAL_TYPE,
    run: { kind, namespace, name, uid },
    subjects: facts.subjects,
    keys: facts.keys,
    formats: [...new Set(facts.formats)],
    store: facts.store,
  };
  return {
    data: Buffer.from(JSON.stringify(message), 'utf8'),
    attributes: { type: ATTESTED_SIGNAL_TYPE, kind, uid, namespace },
  };
}

// The marker: an envelope with no signatures whose payload is the published message.
export function signalMarker(signal: AttestedSignal): Envelope {
  return {
    payloadType: SIGNAL_PAYLOAD_TYPE,
    payload: signal.data.toString('base64'),
    signatures: [],
  };
}
