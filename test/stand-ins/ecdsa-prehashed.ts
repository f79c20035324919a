// ECDSA P-256 over a given SHA-256 digest (what KMS does; node:crypto only signs whole messages).
// SEC 1 v2 §4.1.3 with a random k, low-S normalised, ASN.1 DER encoded.
import { createECDH, randomBytes, type KeyObject } from 'node:crypto';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

function derInteger(v: bigint): Buffer {
  let bytes = Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] ?? 0) < 0x80)
    bytes = bytes.subarray(1);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
}

// DER ECDSA signature of digest (32 bytes) with a P-256 private key.
export function signDigestP256(digest: Buffer, privateKey: KeyObject): Buffer {
  const d = toBig(
    Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url')
  );
  const z = toBig(digest);
  for (;;) {
    const k = toBig(randomBytes(32)) % N;
    if (k === 0n) continue;
    const point = createECDH('prime256v1');
    point.setPrivateKey(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
    const r = toBig(point.getPublicKey().subarray(1, 33)) % N;
    if (r === 0n) continue;
    let s = (modPow(k, N - 2n, N) * (z + r * d)) % N;
    if (s === 0n) continue;
    if (s > N / 2n) s = N - s;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.of(0x30, body.length), body]);
  }
}
