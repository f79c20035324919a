// Chains-compatible DSSE keyids: the SSH SHA256 fingerprint of a public key, whatever signs with it.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { VerificationError } from './errors.js';

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'ascii') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function sshMpint(b64url: string): Buffer {
  const raw = Buffer.from(b64url, 'base64url');
  return (raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), raw]) : raw;
}

const SSH_CURVES: Record<string, string> = {
  'P-256': 'nistp256',
  'P-384': 'nistp384',
  'P-521': 'nistp521',
};

// The SSH wire encoding of a public key (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709).
function sshWireKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const curve = SSH_CURVES[jwk.crv ?? ''];
  if (jwk.kty === 'EC' && curve && jwk.x && jwk.y) {
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
    return Buffer.concat([`ecdsa-sha2-${curve}`, curve, point].map(sshString));
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    return Buffer.concat(
      ['ssh-ed25519', Buffer.from(jwk.x, 'base64url')].map(sshString)
    );
  }
  if (jwk.kty === 'RSA' && jwk.e && jwk.n) {
    return Buffer.concat(
      ['ssh-rsa', sshMpint(jwk.e), sshMpint(jwk.n)].map(sshString)
    );
  }
  throw new VerificationError(
    'SIGNATURE_INVALID',
    `expected an EC, Ed25519 or RSA public key, got ${key.asymmetricKeyType}`
  );
}

// A public KeyObject from a PEM/DER string, a public KeyObject, or a private one (its public half).
export function toPublicKey(key: KeyObject | string): KeyObject {
  return typeof key !== 'string' && key.type === 'public'
    ? key
    : createPublicKey(key);
}

// Chains/cosign keyid: ssh.FingerprintSHA256 = "SHA256:" + unpadded base64(sha256(SSH wire key)).
export function sshKeyId(publicKey: KeyObject | string): string {
  const key = toPublicKey(publicKey);
  const sum = createHash('sha256').update(sshWireKey(key)).digest('base64');
  return `SHA256:${sum.replace(/=+$/, '')}`;
}
