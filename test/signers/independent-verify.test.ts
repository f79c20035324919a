// Envelopes from both signers, verified by tools that share no code with ours: openssl and @sigstore/verify.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { makeEnvelope, preAuthEncoding } from '../../shared/core/dsse.js';
import type { Envelope } from '../../shared/core/types.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import {
  generateLocalKey,
  LocalKeySigner,
} from '../../shared/signers/local-key-signer.js';
import type { Signer } from '../../shared/signers/signer.js';
import { startKms, type KmsFixture } from './kms-stand-in.js';
import { opensslVerifies } from './openssl-verify.js';

const TYPE = 'application/vnd.in-toto+json';
const BODY = Buffer.from(
  '{"_type":"https://in-toto.io/Statement/v0.1","subject":[]}'
);

async function envelopeFrom(signer: Signer, body = BODY): Promise<Envelope> {
  return makeEnvelope(
    TYPE,
    body,
    signer.keyId,
    await signer.sign(preAuthEncoding(TYPE, body))
  );
}

// verification.md §3: a public-key bundle with an empty trust root and zero thresholds.
function sigstoreVerifies(env: Envelope, pubPem: string): boolean {
  const keyid = env.signatures[0]?.keyid ?? '';
  const bundle = bundleFromJSON({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      publicKey: { hint: keyid },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payloadType: env.payloadType,
      payload: env.payload,
      signatures: [{ keyid, sig: env.signatures[0]?.sig ?? '' }],
    },
  });
  const key = createPublicKey(pubPem);
  const trust = toTrustMaterial(
    {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    },
    (hint) => {
      assert.equal(hint, keyid);
      return { publicKey: key, validFor: () => true };
    }
  );
  try {
    new Verifier(trust, {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0,
    }).verify(toSignedEntity(bundle));
    return true;
  } catch {
    return false;
  }
}

describe('independent verification (openssl, @sigstore/verify)', () => {
  let dir: string;
  let kms: KmsFixture;
  const signers: [string, () => Promise<Signer>][] = [
    [
      'local key',
      async () =>
        LocalKeySigner.fromFile(
          (await generateLocalKey(join(dir, 'k'))).privateKeyPath
        ),
    ],
    ['Cloud KMS stand-in', () => KmsSigner.create(kms.client, kms.server.ref)],
  ];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'indep-'));
    kms = await startKms();
  });
  after(async () => {
    await kms.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, make] of signers) {
    it(`${name}: openssl and sigstore accept the envelope and reject a tampered payload`, async () => {
      const signer = await make();
      const env = await envelopeFrom(signer);
      const tampered = {
        ...env,
        payload: Buffer.from(BODY.toString().replace('[]', '[{}]')).toString(
          'base64'
        ),
      };
      assert.equal(sigstoreVerifies(env, signer.publicKeyPem), true);
      assert.equal(sigstoreVerifies(tampered, signer.publicKeyPem), false);
      assert.equal(await opensslVerifies(dir, env, signer.publicKeyPem), true);
      assert.equal(
        await opensslVerifies(dir, tampered, signer.publicKeyPem),
        false
      );
    });
  }
});
