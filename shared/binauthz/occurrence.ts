// The one write for Binary Authorization: an ATTESTATION occurrence for an image on the attestor's note,
// created only when no occurrence there already carries this signer's valid signature over the payload.
import { verify } from 'node:crypto';
import type { protos } from '@google-cloud/grafeas';
import { AttestationError } from '../core/errors.js';
import type { Signer } from '../signers/signer.js';
import type { GrafeasLike } from './grafeas-client.js';
import {
  withGrafeasRetries,
  type AttestationOptions,
  type GrafeasCallOptions,
} from './grafeas-retry.js';
import { binauthzPayload, resourceUriOf } from './payload.js';
import { publicKeyIdOf } from './public-key-id.js';

export type { AttestationOptions } from './grafeas-retry.js';

// Where the attestation goes: the Container Analysis note the attestor is bound to.
export interface OccurrenceTarget {
  noteName: string; // projects/P/notes/N
}

type Occurrence = protos.grafeas.v1.IOccurrence;

interface Wanted {
  noteName: string;
  resourceUri: string;
  payload: Buffer;
  publicKeyId: string;
  publicKeyPem: string;
}

const NOTE_NAME =
  /^projects\/([a-z][-a-z0-9.:]{0,62}[a-z0-9])\/notes\/[^/\s]+$/;

// The note's project, which is also where the occurrence is created.
function noteProject(noteName: string): string {
  const project = NOTE_NAME.exec(noteName)?.[1];
  if (project) return project;
  throw new AttestationError(
    'BINAUTHZ_INVALID',
    `expected a note name projects/P/notes/N, got ${JSON.stringify(noteName.slice(0, 200))}`
  );
}

const bytes = (v: Uint8Array | string | null | undefined): Buffer =>
  typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.from(v ?? []);

function verifies(want: Wanted, signature: Buffer): boolean {
  try {
    return verify('sha256', want.payload, want.publicKeyPem, signature);
  } catch {
    return false; // not a DER ECDSA signature at all
  }
}

// Ours: same note, image and payload bytes, and a signature under our key ID that our key verifies.
function isOurs(occ: Occurrence, want: Wanted): boolean {
  const att = occ.attestation;
  const kind: unknown = occ.kind; // a name, or the number if decoded without enums: String
  if (!att || (kind !== 'ATTESTATION' && kind !== 7)) return false;
  if (occ.noteName !== want.noteName || occ.resourceUri !== want.resourceUri)
    return false;
  if (!bytes(att.serializedPayload).equals(want.payload)) return false;
  return (att.signatures ?? []).some(
    (s) =>
      s.publicKeyId === want.publicKeyId && verifies(want, bytes(s.signature))
  );
}

async function findOurs(
  client: GrafeasLike,
  want: Wanted,
  call: GrafeasCallOptions
): Promise<string | undefined> {
  const filter = `resourceUrl="${want.resourceUri}"`; // as gcloud's attestations list asks
  const [found] = await client.listNoteOccurrences(
    { name: want.noteName, filter },
    call
  );
  return found.find((occ) => isOurs(occ, want))?.name ?? undefined;
}

// Lists, then creates only when needed; a retried attempt lists again, so a create that failed in
// transit but landed is found rather than repeated (the window is narrowed, not closed).
export async function ensureAttestationOccurrence(
  client: GrafeasLike,
  target: OccurrenceTarget,
  image: { name: string; hex: string },
  signer: Signer,
  opts: AttestationOptions = {}
): Promise<{ name: string; created: boolean }> {
  const project = noteProject(target.noteName);
  const want: Wanted = {
    noteName: target.noteName,
    resourceUri: resourceUriOf(image.name, image.hex),
    payload: binauthzPayload(image.name, image.hex),
    publicKeyId: publicKeyIdOf(signer),
    publicKeyPem: signer.publicKeyPem,
  };
  let signature: Buffer | undefined; // signed once, reused by every retry
  return withGrafeasRetries(target.noteName, opts, async (call) => {
    const existing = await findOurs(client, want, call);
    if (existing) return { name: existing, created: false };
    signature ??= await signer.sign(want.payload);
    const [occ] = await client.createOccurrence(
      {
        parent: `projects/${project}`,
        occurrence: occurrenceOf(want, signature),
      },
      call
    );
    if (occ.name) return { name: occ.name, created: true };
    throw new AttestationError(
      'BINAUTHZ_UNAVAILABLE',
      `expected Container Analysis to name the occurrence created on ${want.noteName}, got none`
    );
  });
}

function occurrenceOf(want: Wanted, signature: Buffer): Occurrence {
  return {
    resourceUri: want.resourceUri,
    noteName: want.noteName,
    kind: 'ATTESTATION',
    attestation: {
      serializedPayload: want.payload,
      signatures: [{ publicKeyId: want.publicKeyId, signature }],
    },
  };
}
