// The public key ID an attestor knows a signing key by; a signature whose publicKeyId differs is ignored.
import { createHash, createPublicKey } from 'node:crypto';
import { KmsSigner } from '../signers/kms-signer.js';
import type { Signer } from '../signers/signer.js';

// The prefix gcloud gives Cloud KMS key versions (the version's self link without "https:").
export const KMS_KEY_ID_PREFIX = '//cloudkms.googleapis.com/v1/';

// RFC 6920 name of the SHA-256 of the SPKI DER, base64url without padding: the ID Binary Authorization
// computes for a PKIX key added without one (the form grafeas.v1.Signature documents).
export function pkixKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({
    type: 'spki',
    format: 'der',
  });
  const digest = createHash('sha256').update(der).digest('base64url');
  return `ni:///sha-256;${digest}`;
}

// A KmsSigner's key version URI, else the ni:///sha-256 ID of its public key.
export function publicKeyIdOf(signer: Signer): string {
  return signer instanceof KmsSigner
    ? `${KMS_KEY_ID_PREFIX}${signer.versionName}`
    : pkixKeyId(signer.publicKeyPem);
}
