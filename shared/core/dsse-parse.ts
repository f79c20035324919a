// Strict parsing of untrusted DSSE envelope bytes (size cap, JSON shape, standard base64).
// Spec: https://github.com/secure-systems-lab/dsse/blob/v1.0.0/envelope.md
import { VerificationError } from './errors.js';
import type { Envelope } from './types.js';

// Envelopes above this size are refused before JSON.parse (a 500-task statement is ~1 MB).
export const MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

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
