// Cloud KMS signer: asymmetricSign over the SHA-256 digest only, with CRC32C integrity checks both ways.
// https://cloud.google.com/kms/docs/data-integrity-guidelines
import {
  createHash,
  createPublicKey,
  verify,
  type KeyObject,
} from 'node:crypto';
import { sshKeyId } from '../core/dsse.js';
import { crc32c } from './crc32c.js';
import { int64, integrityError, parseKmsRef } from './kms-ref.js';
import {
  newestEnabledVersion,
  publicKeyPemOf,
  withRetries,
  type KmsClient,
  type KmsSignerOptions,
  type SignReply,
} from './kms-setup.js';
import type { Signer } from './signer.js';

export type { KmsClient, KmsSignerOptions } from './kms-setup.js';

// Signs through Cloud KMS; key version and public key are resolved once per signer (KMS read quota is 300/min).
export class KmsSigner implements Signer {
  readonly keyId: string;
  // Parsed once: every signature is checked against it before use.
  private readonly verifyKey: KeyObject;

  private constructor(
    private readonly client: KmsClient,
    readonly versionName: string,
    readonly publicKeyPem: string,
    private readonly opts: KmsSignerOptions
  ) {
    this.keyId = sshKeyId(publicKeyPem);
    this.verifyKey = createPublicKey(publicKeyPem);
  }

  // Resolves the newest enabled version when the ref names none, then fetches and checks the public key.
  static async create(
    client: KmsClient,
    ref: string,
    opts: KmsSignerOptions = {}
  ): Promise<KmsSigner> {
    const { keyName, versionName } = parseKmsRef(ref);
    const version =
      versionName ?? (await newestEnabledVersion(client, keyName, opts));
    return new KmsSigner(
      client,
      version,
      await publicKeyPemOf(client, version, opts),
      opts
    );
  }

  // Sends only sha256(data) and its CRC32C; every reply is checked before its signature is used.
  async sign(data: Buffer): Promise<Buffer> {
    const sha256 = createHash('sha256').update(data).digest();
    const name = this.versionName;
    const request = {
      name,
      digest: { sha256 },
      digestCrc32c: { value: crc32c(sha256) },
    };
    return withRetries(this.opts, `a signature from ${name}`, async (call) => {
      const [res] = await this.client.asymmetricSign(request, call);
      return this.checked(res, data);
    });
  }

  private checked(res: SignReply, data: Buffer): Buffer {
    const name = this.versionName;
    const sig = Buffer.from(res.signature ?? []);
    const problem =
      res.verifiedDigestCrc32c !== true
        ? 'KMS to confirm the digest CRC32C'
        : res.name !== name
          ? `a signature by ${name}, got one by ${String(res.name)}`
          : crc32c(sig) !== int64(res.signatureCrc32c)
            ? `the signature to match its signatureCrc32c (${name})`
            : !verify('sha256', data, this.verifyKey, sig)
              ? `the signature to verify with the public key of ${name}`
              : undefined;
    if (problem) throw integrityError(`expected ${problem}`);
    return sig;
  }
}
