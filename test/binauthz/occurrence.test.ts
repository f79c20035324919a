// ensureAttestationOccurrence through the real GrafeasClient against the Grafeas stand-in, with a local
// key and with Cloud KMS (stand-in): what is stored, that openssl verifies it, and that it is idempotent.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binauthzPayload,
  ensureAttestationOccurrence,
  publicKeyIdOf,
} from '../../shared/binauthz/index.js';
import { KmsSigner } from '../../shared/signers/kms-signer.js';
import type { Signer } from '../../shared/signers/signer.js';
import { startKms, type KmsFixture } from '../signers/kms-stand-in.js';
import {
  IMAGE,
  localSigner,
  NOTE,
  opensslVerifies,
  RESOURCE_URI,
  startGrafeas,
  type GrafeasFixture,
} from './harness.js';

const KMS_KEY_ID =
  '//cloudkms.googleapis.com/v1/projects/test-project/locations/global/keyRings/ring/cryptoKeys/key/cryptoKeyVersions/1';

describe('ensureAttestationOccurrence (real GrafeasClient, Grafeas stand-in)', () => {
  let dir: string;
  let kms: KmsFixture;
  let g: GrafeasFixture;
  const signers: [string, () => Promise<Signer>, (s: Signer) => string][] = [
    ['local key', () => Promise.resolve(localSigner()), publicKeyIdOf],
    [
      'Cloud KMS stand-in',
      () => KmsSigner.create(kms.client, kms.server.ref),
      () => KMS_KEY_ID,
    ],
  ];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'binauthz-'));
    kms = await startKms();
  });
  after(async () => {
    await kms.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => (g = await startGrafeas()));
  afterEach(() => g.close());

  for (const [name, make, expectedKeyId] of signers) {
    it(`${name}: stores one ATTESTATION occurrence whose signature openssl verifies`, async () => {
      const signer = await make();
      const res = await ensureAttestationOccurrence(
        g.client,
        { noteName: NOTE },
        IMAGE,
        signer
      );
      assert.equal(res.created, true);
      const stored = g.server.occurrences();
      assert.equal(stored.length, 1);
      const [occ] = stored;
      assert.equal(occ?.name, res.name);
      assert.match(
        res.name,
        /^projects\/attestor-project\/occurrences\/[\w-]+$/
      );
      assert.equal(occ?.kind, 'ATTESTATION');
      assert.equal(occ?.noteName, NOTE);
      assert.equal(occ?.resourceUri, RESOURCE_URI);
      const payload = binauthzPayload(IMAGE.name, IMAGE.hex);
      assert.ok(occ?.attestation?.serializedPayload.equals(payload));
      const [sig, ...more] = occ?.attestation?.signatures ?? [];
      assert.equal(more.length, 0);
      assert.equal(sig?.publicKeyId, expectedKeyId(signer));
      assert.equal(
        await opensslVerifies(dir, signer.publicKeyPem, sig.signature, payload),
        true
      );
      const tampered = Buffer.from(payload.toString().replace('web', 'wab'));
      assert.equal(
        await opensslVerifies(
          dir,
          signer.publicKeyPem,
          sig.signature,
          tampered
        ),
        false
      );
    });

    it(`${name}: a second call creates nothing and returns the same occurrence`, async () => {
      const signer = await make();
      const first = await ensureAttestationOccurrence(
        g.client,
        { noteName: NOTE },
        IMAGE,
        signer
      );
      const second = await ensureAttestationOccurrence(
        g.client,
        { noteName: NOTE },
        IMAGE,
        signer
      );
      assert.deepEqual(second, { name: first.name, created: false });
      assert.equal(g.server.counters.createOccurrence, 1);
      assert.equal(g.server.counters.listNoteOccurrences, 2);
      assert.equal(g.server.occurrences().length, 1);
    });
  }

  it('does not count another key, another image or another note as already attested (paged lists)', async () => {
    const other = 'projects/attestor-project/notes/other';
    await g.close();
    g = await startGrafeas({ notes: [NOTE, other], defaultPageSize: 1 });
    const mine = localSigner();
    const digest2 = 'f'.repeat(64);
    await ensureAttestationOccurrence(
      g.client,
      { noteName: NOTE },
      IMAGE,
      localSigner()
    );
    await ensureAttestationOccurrence(
      g.client,
      { noteName: other },
      IMAGE,
      mine
    );
    await ensureAttestationOccurrence(
      g.client,
      { noteName: NOTE },
      { ...IMAGE, hex: digest2 },
      mine
    );
    const res = await ensureAttestationOccurrence(
      g.client,
      { noteName: NOTE },
      IMAGE,
      mine
    );
    assert.equal(res.created, true);
    assert.equal(g.server.occurrences().length, 4);
    const lists = g.server.counters.listNoteOccurrences;
    const again = await ensureAttestationOccurrence(
      g.client,
      { noteName: NOTE },
      IMAGE,
      mine
    );
    assert.deepEqual(again, { name: res.name, created: false });
    assert.equal(g.server.counters.listNoteOccurrences - lists, 2, 'two pages');
  });

  it('does not count an occurrence under our key ID whose signature our key does not verify', async () => {
    const signer = localSigner();
    const payload = binauthzPayload(IMAGE.name, IMAGE.hex);
    const forged = await localSigner().sign(payload);
    await g.client.createOccurrence({
      parent: 'projects/attestor-project',
      occurrence: {
        resourceUri: RESOURCE_URI,
        noteName: NOTE,
        kind: 'ATTESTATION',
        attestation: {
          serializedPayload: payload,
          signatures: [
            { publicKeyId: publicKeyIdOf(signer), signature: forged },
          ],
        },
      },
    });
    const res = await ensureAttestationOccurrence(
      g.client,
      { noteName: NOTE },
      IMAGE,
      signer
    );
    assert.equal(res.created, true);
    assert.equal(g.server.occurrences().length, 2);
  });
});
