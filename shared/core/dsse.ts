// DSSE v1 envelopes: pre-authentication encoding, strict parsing, stored bytes, keyids and verification.
// Spec: https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md
import { verify, type KeyObject } from 'node:crypto';
import { sshKeyId, toPublicKey } from './ssh-keyid.js';
import type { Envelope } from './types.js';

export { sshKeyId };
// Parsing lives in dsse-parse.ts; callers keep importing it from here.
export { MAX_ENVELOPE_BYTES, parseEnvelope } from './dsse-parse.js';

// A verification key and the keyid it is known by (sshKeyId of the key unless the caller says otherwise).
export interface PublicKeyEntry {
  keyid: string;
  key: KeyObject;
}

export interface VerifyResult {
  ok: boolean;
  keyid?: string;
}

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

// Payloads this module encoded, by envelope: standard base64 has no character JSON escapes, so
// serializeEnvelope splices it in instead of scanning it again (~220 KB for a 50-task statement).
const ownBase64 = new WeakMap<Envelope, string>();

// One-signature envelope with payload and sig in standard base64, as Chains stores it.
export function makeEnvelope(
  payloadType: string,
  body: Buffer,
  keyid: string,
  sig: Buffer
): Envelope {
  const env: Envelope = {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid, sig: sig.toString('base64') }],
  };
  ownBase64.set(env, env.payload);
  return env;
}

// The signed body bytes of an envelope.
export function decodePayload(env: Envelope): Buffer {
  return Buffer.from(env.payload, 'base64');
}

// The exact stored bytes of an envelope, identical for every store: compact JSON in field order + "\n".
export function serializeEnvelope(env: Envelope): Buffer {
  const strings =
    typeof env.payloadType === 'string' &&
    env.signatures.every(
      (s) => typeof s.keyid === 'string' && typeof s.sig === 'string'
    );
  if (strings && ownBase64.get(env) === env.payload) {
    const sigs = env.signatures.map(
      (s) =>
        `{"keyid":${JSON.stringify(s.keyid)},"sig":${JSON.stringify(s.sig)}}`
    );
    const type = JSON.stringify(env.payloadType);
    return Buffer.from(
      `{"payloadType":${type},"payload":"${env.payload}","signatures":[${sigs.join(',')}]}\n`,
      'utf8'
    );
  }
  const normal: Envelope = {
    payloadType: env.payloadType,
    payload: env.payload,
    signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  };
  return Buffer.from(`${JSON.stringify(normal)}\n`, 'utf8');
}

// A verification key entry from a PEM or KeyObject, with its Chains-compatible keyid.
export function publicKeyEntry(publicKey: KeyObject | string): PublicKeyEntry {
  const key = toPublicKey(publicKey);
  return { keyid: sshKeyId(key), key };
}

// True when sig is entry's signature over pae (Ed25519 signs raw bytes, other keys SHA-256); never throws.
export function verifiesWith(
  pae: Buffer,
  sig: Buffer,
  entry: PublicKeyEntry
): boolean {
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
