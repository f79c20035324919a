// Local development signer: a PKCS#8 EC P-256 PEM private key on disk, ECDSA-SHA256 with DER signatures.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SigningError } from '../core/errors.js';
import { sshKeyId } from '../core/dsse.js';
import type { Signer } from './signer.js';

const PKCS8_HEADER = '-----BEGIN PRIVATE KEY-----';

function invalid(message: string, cause?: unknown): never {
  throw new SigningError(
    'SIGNER_INVALID',
    message,
    cause === undefined ? undefined : { cause }
  );
}

// Refuses anything but an unencrypted PKCS#8 EC P-256 private key, naming what it got instead.
function loadP256(pem: string, where: string): KeyObject {
  if (!pem.includes(PKCS8_HEADER)) {
    invalid(
      `expected a PKCS#8 PEM private key ("${PKCS8_HEADER}") in ${where}, got ${pem.includes('ENCRYPTED') ? 'an encrypted key' : 'another PEM type'} (convert with: openssl pkcs8 -topk8 -nocrypt)`
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    invalid(`expected a readable PEM private key in ${where}`, err);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    invalid(
      `expected an EC P-256 key in ${where}, got ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''}`
    );
  }
  return key;
}

// Signs in-process; the keyid is the SSH fingerprint of the public key, as Chains computes it.
export class LocalKeySigner implements Signer {
  readonly keyId: string;
  readonly publicKeyPem: string;

  private constructor(private readonly key: KeyObject) {
    this.publicKeyPem = createPublicKey(key)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    this.keyId = sshKeyId(this.publicKeyPem);
  }

  // From PEM text (where names the source in error messages).
  static fromPem(pem: string, where = 'the PEM text'): LocalKeySigner {
    return new LocalKeySigner(loadP256(pem, where));
  }

  // From a PEM file; SigningError SIGNER_INVALID when it is unreadable or the wrong kind of key.
  static async fromFile(path: string): Promise<LocalKeySigner> {
    let pem: string;
    try {
      pem = await readFile(path, 'utf8');
    } catch (err) {
      invalid(`expected a readable private key file at ${path}`, err);
    }
    return LocalKeySigner.fromPem(pem, path);
  }

  sign(data: Buffer): Promise<Buffer> {
    return Promise.resolve(sign('sha256', data, this.key));
  }
}

export interface GeneratedKey {
  privateKeyPath: string;
  publicKeyPath: string;
  keyId: string;
}

// Writes DIR/<base>.pem (PKCS#8 P-256, mode 0600) and DIR/<base>.pub.pem (SPKI); never overwrites a key.
export async function generateLocalKey(
  dir: string,
  base = 'signing'
): Promise<GeneratedKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKeyPath = join(dir, `${base}.pem`);
  const publicKeyPath = join(dir, `${base}.pub.pem`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(privateKeyPath, privateKey, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
    invalid(
      exists
        ? `expected no key at ${privateKeyPath}, got an existing one (refusing to overwrite)`
        : `expected a writable ${privateKeyPath}`,
      err
    );
  }
  await writeFile(publicKeyPath, publicKey, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, keyId: sshKeyId(publicKey) };
}
