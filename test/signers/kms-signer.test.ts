import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { preAuthEncoding, sshKeyId } from '../../shared/core/dsse.js';
import { SigningError } from '../../shared/core/errors.js';
import { createSigner } from '../../shared/signers/create-signer.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import { parseKmsRef } from '../../shared/signers/kms-ref.js';
import { KMS_TRANSPORTS, startKms, type KmsFixture } from './kms-stand-in.js';

const coded = (code: string, permanent: boolean) => (err: unknown) =>
  err instanceof SigningError &&
  err.code === code &&
  err.permanent === permanent;
const fast = { baseDelayMs: 5, deadlineMs: 2000 };

for (const transport of KMS_TRANSPORTS)
  describe(`KmsSigner through the ${transport} client and the stand-in`, () => {
    let kms: KmsFixture | undefined;
    afterEach(() => kms?.close());

    it('resolves the newest enabled version once, caches the public key and sends only the digest', async () => {
      kms = await startKms({ versions: 2 }, transport);
      const signer = await createSigner(kms.server.ref, {
        kmsClient: kms.client,
        ...fast,
      });
      assert.equal(signer.constructor.name, 'KmsSigner');
      assert.equal(
        (signer as KmsSigner).versionName,
        kms.server.versionName(2)
      );
      assert.equal(signer.keyId, sshKeyId(kms.server.publicKeyPem(2)));
      const pae = preAuthEncoding(
        'application/vnd.in-toto+json',
        Buffer.from('{"_type":"x"}')
      );
      for (let i = 0; i < 3; i++) {
        assert.ok(
          verify(
            'sha256',
            pae,
            kms.server.publicKeyPem(2),
            await signer.sign(pae)
          )
        );
      }
      const { listCryptoKeyVersions, getPublicKey, asymmetricSign } =
        kms.server.counters;
      assert.deepEqual(
        { listCryptoKeyVersions, getPublicKey, asymmetricSign },
        { listCryptoKeyVersions: 1, getPublicKey: 1, asymmetricSign: 3 }
      );
      assert.equal(kms.server.counters.getCryptoKey, 0);
      assert.equal(kms.server.counters.dataReceived, 0);
    });

    it('uses a pinned version without listing versions (both version spellings)', async () => {
      kms = await startKms({ versions: 2 }, transport);
      for (const suffix of ['/cryptoKeyVersions/1', '/versions/1']) {
        const signer = await KmsSigner.create(
          kms.client,
          kms.server.ref + suffix,
          fast
        );
        assert.equal(signer.publicKeyPem, kms.server.publicKeyPem(1));
      }
      const { getCryptoKey, listCryptoKeyVersions } = kms.server.counters;
      assert.deepEqual(
        { getCryptoKey, listCryptoKeyVersions },
        {
          getCryptoKey: 0,
          listCryptoKeyVersions: 0,
        }
      );
    });

    it('retries UNAVAILABLE, then succeeds', async () => {
      kms = await startKms({}, transport);
      const signer = await KmsSigner.create(kms.client, kms.server.ref, fast);
      kms.server.queued.unavailable = 2;
      const sig = await signer.sign(Buffer.from('data'));
      assert.ok(
        verify('sha256', Buffer.from('data'), kms.server.publicKeyPem(), sig)
      );
      assert.equal(kms.server.counters.asymmetricSign, 3);
    });

    it('detects a corrupted signatureCrc32c, refuses that reply and retries', async () => {
      kms = await startKms({}, transport);
      const retried: string[] = [];
      const signer = await KmsSigner.create(kms.client, kms.server.ref, {
        ...fast,
        onRetry: (err) => retried.push((err as SigningError).code),
      });
      kms.server.queued.corruptSignatureCrc32c = 1;
      const sig = await signer.sign(Buffer.from('data'));
      assert.deepEqual(retried, ['KMS_INTEGRITY_MISMATCH']);
      assert.ok(
        verify('sha256', Buffer.from('data'), kms.server.publicKeyPem(), sig)
      );
    });

    it('surfaces persistent corruption as a transient KMS_INTEGRITY_MISMATCH within the deadline', async () => {
      kms = await startKms(
        {
          fault: (method) =>
            method === 'AsymmetricSign'
              ? { corruptSignatureCrc32c: true }
              : undefined,
        },
        transport
      );
      const signer = await KmsSigner.create(kms.client, kms.server.ref, {
        baseDelayMs: 5,
        deadlineMs: 200,
      });
      await assert.rejects(
        signer.sign(Buffer.from('data')),
        coded('KMS_INTEGRITY_MISMATCH', false)
      );
    });

    it('surfaces persistent UNAVAILABLE as a transient KMS_SIGN_FAILED', async () => {
      kms = await startKms(
        {
          fault: (method) =>
            method === 'AsymmetricSign'
              ? { code: status.UNAVAILABLE }
              : undefined,
        },
        transport
      );
      const signer = await KmsSigner.create(kms.client, kms.server.ref, {
        baseDelayMs: 5,
        deadlineMs: 200,
      });
      const started = Date.now();
      await assert.rejects(
        signer.sign(Buffer.from('data')),
        coded('KMS_SIGN_FAILED', false)
      );
      assert.ok(Date.now() - started < 1000);
    });

    it('refuses unknown keys and malformed refs as SIGNER_INVALID', async () => {
      kms = await startKms({}, transport);
      await assert.rejects(
        KmsSigner.create(
          kms.client,
          kms.server.ref.replace(/key$/, 'other'),
          fast
        ),
        coded('SIGNER_INVALID', true)
      );
      for (const ref of [
        'gcpkms://projects/p',
        'gcpkms://projects/test-project/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/0',
        'awskms://x',
      ]) {
        assert.throws(
          () => parseKmsRef(ref),
          coded('SIGNER_INVALID', true),
          ref
        );
      }
    });
  });
