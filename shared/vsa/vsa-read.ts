// `verify --vsa`: the stored summary for (digest, policy digest), accepted only when a trusted key signed
// it and it names this digest and this exact policy; anything else found there is refused, not skipped.
import { decodePayload } from '../core/dsse.js';
import { INTOTO_PAYLOAD_TYPE } from '../core/formats.js';
import { vsaKey } from '../core/layout.js';
import type { AttestationStore } from '../stores/store.js';
import type { VerificationKey } from '../verify/keys.js';
import { isObj, objAt, str } from '../verify/json.js';
import { readEnvelope } from '../verify/read-envelope.js';
import { checkSignature } from '../verify/signature.js';
import {
  VSA_PREDICATE_V1,
  VSA_RESULTS,
  type VsaResult,
} from './vsa-statement.js';

export interface StoredVsa {
  key: string;
  result: VsaResult;
  verifierId: string;
  timeVerified: string;
  policyUri: string;
  keyid: string;
}

export type VsaLookup =
  | { state: 'absent'; key: string }
  | { state: 'invalid'; key: string; message: string }
  | ({ state: 'valid' } & StoredVsa);

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

// What is wrong with a decoded VSA statement for (hex, policyHex), or its fields.
function readStatement(
  doc: unknown,
  hex: string,
  policyHex: string
): string | Omit<StoredVsa, 'key' | 'keyid'> {
  if (!isObj(doc) || doc.predicateType !== VSA_PREDICATE_V1)
    return `expected predicateType ${VSA_PREDICATE_V1}`;
  const subjects: unknown[] = Array.isArray(doc.subject) ? doc.subject : [];
  if (!subjects.some((s) => str(objAt(s, 'digest').sha256) === hex))
    return `expected a subject with digest sha256:${hex}`;
  const p = objAt(doc, 'predicate');
  const policy = objAt(p, 'policy');
  const policyDigest = str(objAt(policy, 'digest').sha256);
  if (policyDigest !== policyHex)
    return `expected policy digest sha256:${policyHex}, got ${String(policyDigest)}`;
  const result = str(p.verificationResult);
  if (!VSA_RESULTS.includes(result as VsaResult))
    return `expected verificationResult PASSED or FAILED, got ${String(result)}`;
  return {
    result: result as VsaResult,
    verifierId: str(objAt(p, 'verifier').id) ?? '',
    timeVerified: str(p.timeVerified) ?? '',
    policyUri: str(policy.uri) ?? '',
  };
}

// The summary stored for sha256:<hex> under the policy whose bytes hash to policyHex.
export async function readVsa(
  store: AttestationStore,
  hex: string,
  policyHex: string,
  keys: readonly VerificationKey[]
): Promise<VsaLookup> {
  const key = vsaKey(hex, policyHex);
  const env = await readEnvelope(store, key);
  if (env === undefined) return { state: 'absent', key };
  const invalid = (message: string) => ({
    state: 'invalid' as const,
    key,
    message,
  });
  if (typeof env === 'string') return invalid(env);
  if (env.payloadType !== INTOTO_PAYLOAD_TYPE)
    return invalid(
      `expected payloadType ${INTOTO_PAYLOAD_TYPE}, got ${env.payloadType}`
    );
  const sig = checkSignature(env, keys);
  if (!sig.ok) return invalid(sig.message);
  const fields = readStatement(parseJson(decodePayload(env)), hex, policyHex);
  if (typeof fields === 'string') return invalid(fields);
  return { state: 'valid', key, keyid: sig.keyid, ...fields };
}
