import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { preAuthEncoding } from '../../shared/core/dsse.js';
import { SigningError } from '../../shared/core/errors.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import { KMS_TRANSPORTS, startKms, type KmsFixture } from './kms-stand-in.js';

const invalid = (pattern: RegExp) => (err: unknown) =>
  err instanceof SigningError &&
  err.code === 'SIGNER_INVALID' &&
  err.permanent &&
  pattern.test(err.message);
const fast = { baseDelayMs: 5, deadlineMs: 2000 };
const PAE = preAuthEncoding('application/vnd.in-toto+json', Buffer.from('{}'));

for (const transport of KMS_TRANSPORTS)
  describe(`KmsSigner resolving a versionless gcpkms:// ref (asymmetric keys have no primary), ${transport}`, () => {
    let kms: KmsFixture | undefined;
    afterEach(() => kms?.close());

    it('the stand-in, like Cloud KMS, reports no primary for an ASYMMETRIC_SIGN key', async () => {
      kms = await startKms({ versions: 2 }, transport);
      const [key] = await kms.grpcClient.getCryptoKey({
        name: kms.server.keyName,
      });
      assert.equal(key.purpose, 'ASYMMETRIC_SIGN');
      assert.equal(key.primary, null);
    });

    it('signs with the newest enabled version (1, 2 enabled; 3 disabled → 2), one list call', async () => {
      kms = await startKms(
        { versions: 3, states: { 3: 'DISABLED' } },
        transport
      );
      const signer = await KmsSigner.create(kms.client, kms.server.ref, fast);
      assert.equal(signer.versionName, kms.server.versionName(2));
      assert.equal(signer.publicKeyPem, kms.server.publicKeyPem(2));
      for (let i = 0; i < 2; i++) {
        const sig = await signer.sign(PAE);
        assert.ok(verify('sha256', PAE, kms.server.publicKeyPem(2), sig));
        assert.ok(!verify('sha256', PAE, kms.server.publicKeyPem(1), sig));
      }
      const { getCryptoKey, listCryptoKeyVersions, getPublicKey, signed } =
        kms.server.counters;
      assert.deepEqual(
        { getCryptoKey, listCryptoKeyVersions, getPublicKey, signed },
        {
          getCryptoKey: 0,
          listCryptoKeyVersions: 1,
          getPublicKey: 1,
          signed: 2,
        }
      );
    });

    it('compares version numbers, not names, across list pages (10 beats 9)', async () => {
      kms = await startKms(
        {
          versions: 10,
          pageSize: 3,
          states: { 4: 'DESTROYED' },
        },
        transport
      );
      const signer = await KmsSigner.create(kms.client, kms.server.ref, fast);
      assert.equal(signer.versionName, kms.server.versionName(10));
      assert.equal(kms.server.counters.listCryptoKeyVersions, 3);
    });

    it('retries a transient list failure within the deadline', async () => {
      let failures = 1;
      kms = await startKms(
        {
          fault: (method) =>
            method === 'ListCryptoKeyVersions' && failures-- > 0
              ? { code: status.UNAVAILABLE }
              : undefined,
        },
        transport
      );
      const signer = await KmsSigner.create(kms.client, kms.server.ref, fast);
      assert.equal(signer.versionName, kms.server.versionName(1));
      assert.equal(kms.server.counters.listCryptoKeyVersions, 2);
    });

    it('refuses, as permanent SIGNER_INVALID, keys with no enabled version, other algorithms and symmetric keys', async () => {
      const cases = [
        [
          { versions: 2, states: { 1: 'DISABLED', 2: 'DESTROYED' } },
          /enabled key version, got none/,
        ],
        [
          { versions: 1, algorithm: 'EC_SIGN_P384_SHA384' },
          /EC_SIGN_P256_SHA256, got EC_SIGN_P384_SHA384/,
        ],
        [{ purpose: 'ENCRYPT_DECRYPT' }, /got GOOGLE_SYMMETRIC_ENCRYPTION/],
      ] as const;
      for (const [opts, message] of cases) {
        kms = await startKms(opts, transport);
        await assert.rejects(
          KmsSigner.create(kms.client, kms.server.ref, fast),
          invalid(message)
        );
        assert.equal(kms.server.counters.getPublicKey, 0);
        await kms.close();
        kms = undefined;
      }
    });
  });
