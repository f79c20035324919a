// What the Grafeas stand-in shows tests: plain copies of stored notes and occurrences.
import type { Msg } from './grafeas-state.js';

export interface StoredSignature {
  publicKeyId: string;
  signature: Buffer;
}
export interface StoredOccurrence {
  name: string;
  resourceUri: string;
  noteName: string;
  kind: string;
  // Set for ATTESTATION occurrences.
  attestation?: { serializedPayload: Buffer; signatures: StoredSignature[] };
}
export interface StoredNote {
  name: string;
  kind: string;
}

export function toStoredOccurrence(occ: Msg): StoredOccurrence {
  const att = occ['attestation'] as Msg | null | undefined;
  const sigs = (att?.['signatures'] ?? []) as Msg[];
  return {
    name: String(occ['name']),
    resourceUri: String(occ['resourceUri']),
    noteName: String(occ['noteName']),
    kind: String(occ['kind']),
    ...(att
      ? {
          attestation: {
            serializedPayload: Buffer.from(att['serializedPayload'] as Buffer),
            signatures: sigs.map((s) => ({
              publicKeyId: String(s['publicKeyId']),
              signature: Buffer.from(s['signature'] as Buffer),
            })),
          },
        }
      : {}),
  };
}

export function toStoredNote(note: Msg): StoredNote {
  return { name: String(note['name']), kind: String(note['kind']) };
}
