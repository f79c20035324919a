// DSSE signature check with a named reason: SIGNATURE_INVALID when the key the keyid names does not
// verify (tampered payload or signature), KEY_UNTRUSTED when no given key made the signature.
import { decodePayload, preAuthEncoding, verifiesWith } from '../core/dsse.js';
import type { Envelope } from '../core/types.js';
import type { VerificationKey } from './keys.js';

export type SignatureResult =
  | { ok: true; keyid: string; source: string }
  | { ok: false; code: 'SIGNATURE_INVALID' | 'KEY_UNTRUSTED'; message: string };

// Keys are selected by keyid; when none is named, every key is tried (keyids are hints, not proof).
export function checkSignature(
  env: Envelope,
  keys: readonly VerificationKey[]
): SignatureResult {
  const pae = preAuthEncoding(env.payloadType, decodePayload(env));
  let named = false;
  for (const { keyid, sig } of env.signatures) {
    const bytes = Buffer.from(sig, 'base64');
    const matching = keys.filter((k) => k.keyid === keyid);
    named ||= matching.length > 0;
    const hit = (matching.length > 0 ? matching : keys).find((k) =>
      verifiesWith(pae, bytes, k)
    );
    if (hit) return { ok: true, keyid: hit.keyid, source: hit.source };
  }
  const keyids = env.signatures.map((s) => s.keyid || '(none)').join(', ');
  return named
    ? {
        ok: false,
        code: 'SIGNATURE_INVALID',
        message: `signature by keyid ${keyids} does not verify over the payload (tampered payload or signature)`,
      }
    : {
        ok: false,
        code: 'KEY_UNTRUSTED',
        message: `signed by keyid ${keyids}, which none of the ${keys.length} given key(s) verifies (${keys.map((k) => k.keyid).join(', ')})`,
      };
}
