// DSSE v1 envelopes: pre-authentication encoding, strict parsing, stored bytes, keyids and verification.
// Spec: https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md
import { verify, type KeyObject } from 'node:crypto';
import { VerificationError } from './errors.js';
import { sshKeyId, toPublicKey } from './ssh-keyid.js';
import type { Envelope } from './types.js';

export { sshKeyId };

// A verification key and the keyid it is known by (sshKeyId of the key unless the caller says otherwise).
export interface PublicKeyEntry {
  keyid: string;
  key: KeyObject;
}

export interface VerifyResult {
  ok: boolean;
  keyid?: string;
}

// Envelopes above this size are refused before JSON.parse (a 500-task statement is ~1 MB).
export const MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths as ASCII decimal byte counts.
export function preAuthEncoding(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${body.length} `, 'ascii'),
    body,
  ]);
}

// One-signature envelope with payload and sig in standard base64, as Chains stores it.
export function makeEnvelope(
  payloadType: string,
  body: Buffer,
  keyid: string,
  sig: Buffer
): Envelope {
  return {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid, sig: sig.toString('base64') }],
  };
}

// The signed body bytes of an envelope.
export function decodePayload(env: Envelope): Buffer {
  return Buffer.from(env.payload, 'base64');
}

// The exact stored bytes of an envelope, identical for every store: compact JSON in field order + "\n".
export function serializeEnvelope(env: Envelope): Buffer {
  const normal: Envelope = {
    payloadType: env.payloadType,
    payload: env.payload,
    signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  };
  return Buffer.from(`${JSON.stringify(normal)}\n`, 'utf8');
}

function malformed(what: string): never {
  throw new VerificationError(
    'SIGNATURE_INVALID',
    `expected a DSSE envelope, got ${what}`
  );
}

function base64Field(value: unknown, what: string, allowEmpty: boolean) {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    malformed(`${what} that is not standard base64`);
  }
  if (!allowEmpty && value.length === 0) malformed(`an empty ${what}`);
  return value;
}

function parseSignature(value: unknown): Envelope['signatures'][number] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    malformed('a signature that is not an object');
  }
  const { keyid = '', sig } = value as Record<string, unknown>;
  if (typeof keyid !== 'string') malformed('a keyid that is not a string');
  return { keyid, sig: base64Field(sig, 'sig', false) };
}

// Parses untrusted bytes into an envelope; VerificationError SIGNATURE_INVALID names what is wrong.
export function parseEnvelope(input: Buffer | string): Envelope {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_ENVELOPE_BYTES) malformed(`${size} bytes (too large)`);
  let doc: unknown;
  try {
    doc = JSON.parse(input.toString());
  } catch {
    malformed('invalid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    malformed('JSON that is not an object');
  }
  const { payloadType, payload, signatures } = doc as Record<string, unknown>;
  if (typeof payloadType !== 'string' || payloadType === '') {
    malformed('no payloadType');
  }
  if (!Array.isArray(signatures) || signatures.length === 0) {
    malformed('no signatures');
  }
  return {
    payloadType,
    payload: base64Field(payload, 'payload', true),
    signatures: signatures.map(parseSignature),
  };
}

// A verification key entry from a PEM or KeyObject, with its Chains-compatible keyid.
export function publicKeyEntry(publicKey: KeyObject | string): PublicKeyEntry {
  const key = toPublicKey(publicKey);
  return { keyid: sshKeyId(key), key };
}

function verifiesWith(pae: Buffer, sig: Buffer, entry: PublicKeyEntry) {
  const algorithm = entry.key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  try {
    return verify(algorithm, pae, entry.key, sig);
  } catch {
    return false;
  }
}

// True when some signature verifies over the PAE; keys whose keyid matches are tried first, then all.
export function verifyEnvelope(
  env: Envelope,
  keys: readonly PublicKeyEntry[]
): VerifyResult {
  const pae = preAuthEncoding(env.payloadType, decodePayload(env));
  for (const { keyid, sig } of env.signatures) {
    const bytes = Buffer.from(sig, 'base64');
    const named = keys.filter((k) => k.keyid === keyid);
    const rest = keys.filter((k) => k.keyid !== keyid);
    const hit = [...named, ...rest].find((k) => verifiesWith(pae, bytes, k));
    if (hit) return { ok: true, keyid: hit.keyid };
  }
  return { ok: false };
}
