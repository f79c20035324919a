// verifyImage end to end on real parts: a pushed image is verified once, its VSA stored create-only and, on
// PASS only, one Binary Authorization occurrence written; redeliveries change nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binauthzPayload } from '../../shared/binauthz/index.js';
import { parseEnvelope } from '../../shared/core/dsse.js';
import { opensslVerifies as opensslPayload } from '../binauthz/harness.js';
import { opensslVerifies } from '../signers/openssl-verify.js';
import { CLEAN_HEX, MINER_HEX, POLICY } from '../vsa/harness.js';
import {
  BUCKET,
  NOTE,
  pushOf,
  startVerifyImage,
  type VerifyImageFixture,
} from './verify-image-harness.js';

const IMAGE = 'us-docker.pkg.dev/acme-prod/apps/web';
const ar = (hex: string, action = 'INSERT') => ({
  action,
  digest: `${IMAGE}@sha256:${hex}`,
  tag: `${IMAGE}:v1`,
});
const policyHex = (text: string) =>
  createHash('sha256').update(text).digest('hex');
const vsaName = (hex: string, policy = POLICY) =>
  `sha256/${hex}/vsa-${policyHex(policy).slice(0, 16)}.dsse.json`;

describe('verifyImage (GCS, KMS and Container Analysis stand-ins)', function () {
  this.timeout(60_000);
  let f: VerifyImageFixture;
  let tmp: string;
  const post = (body: object) => f.http.post('/').send(body);
  const vsas = () => f.names().filter((n) => n.includes('/vsa-'));

  beforeEach(async () => {
    f = await startVerifyImage(POLICY);
    tmp = await mkdtemp(join(tmpdir(), 'verify-image-openssl-'));
  });
  afterEach(async () => {
    await f.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a PASS writes one VSA and one occurrence; both signatures verify with openssl', async () => {
    const res = await post(pushOf(ar(CLEAN_HEX)));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.results, [
      {
        digest: `sha256:${CLEAN_HEX}`,
        result: 'PASSED',
        vsa: vsaName(CLEAN_HEX),
        created: true,
        stored: 'PASSED',
        occurrences: [
          { name: res.body.results[0].occurrences[0].name, created: true },
        ],
      },
    ]);
    assert.deepEqual(vsas(), [vsaName(CLEAN_HEX)]);
    const bytes = f.gcs.objects.get(`${BUCKET}/${vsaName(CLEAN_HEX)}`)?.bytes;
    const env = parseEnvelope(bytes ?? Buffer.alloc(0));
    const pub = f.kms.server.publicKeyPem();
    assert.equal(await opensslVerifies(tmp, env, pub), true);
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    assert.equal(
      statement.predicate.policy.uri,
      `gs://${BUCKET}/policies/policy.yaml`
    );
    assert.equal(statement.predicate.policy.digest.sha256, policyHex(POLICY));
    const [occ, ...more] = f.grafeas.occurrences();
    assert.equal(more.length, 0);
    assert.equal(occ?.noteName, NOTE);
    assert.equal(occ?.resourceUri, `https://${IMAGE}@sha256:${CLEAN_HEX}`);
    const payload = occ?.attestation?.serializedPayload ?? Buffer.alloc(0);
    assert.deepEqual(payload, binauthzPayload(IMAGE, CLEAN_HEX));
    const [sig] = occ?.attestation?.signatures ?? [];
    assert.equal(
      sig?.publicKeyId,
      `//cloudkms.googleapis.com/v1/${f.kms.server.versionName(1)}`
    );
    assert.equal(
      await opensslPayload(
        tmp,
        pub,
        sig?.signature ?? Buffer.alloc(0),
        payload
      ),
      true
    );
  });

  it('a duplicate Pub/Sub delivery changes nothing', async () => {
    assert.equal((await post(pushOf(ar(CLEAN_HEX)))).status, 200);
    const before = new Map(
      [...f.gcs.objects].map(([k, v]) => [k, v.generation])
    );
    const created = f.gcs.counters.created;
    const signed = f.kms.server.counters.asymmetricSign;
    const again = await post(pushOf(ar(CLEAN_HEX)));
    assert.equal(again.status, 200);
    assert.equal(again.body.results[0].created, false);
    assert.equal(again.body.results[0].occurrences[0].created, false);
    assert.equal(f.gcs.counters.created, created);
    assert.equal(f.kms.server.counters.asymmetricSign, signed, 'no KMS call');
    assert.deepEqual(
      new Map([...f.gcs.objects].map(([k, v]) => [k, v.generation])),
      before
    );
    assert.equal(f.grafeas.occurrences().length, 1);
    assert.equal(f.grafeas.counters.createOccurrence, 1);
  });

  it('a FAIL (inject-miner, as a messagePublished CloudEvent) writes a FAILED VSA and no occurrence', async () => {
    const res = await f.http
      .post('/')
      .set('ce-id', '42')
      .set('ce-specversion', '1.0')
      .set('ce-source', '//pubsub.googleapis.com/projects/acme-prod/topics/gcr')
      .set('ce-type', 'google.cloud.pubsub.topic.v1.messagePublished')
      .send(pushOf(ar(MINER_HEX)));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.results[0].result, 'FAILED');
    assert.equal(res.body.results[0].occurrences, undefined);
    assert.deepEqual(vsas(), [vsaName(MINER_HEX)]);
    assert.equal(f.grafeas.occurrences().length, 0);
    assert.equal(f.grafeas.counters.listNoteOccurrences, 0);
  });

  it('a policy change (new digest) gets a new VSA; the occurrence is not repeated', async () => {
    await post(pushOf(ar(CLEAN_HEX)));
    const v2 = `${POLICY}maxAge: 3650d\n`;
    f.setPolicy(v2);
    const res = await post(pushOf(ar(CLEAN_HEX), '2'));
    assert.equal(res.status, 200);
    assert.equal(res.body.results[0].vsa, vsaName(CLEAN_HEX, v2));
    assert.deepEqual(
      vsas(),
      [vsaName(CLEAN_HEX), vsaName(CLEAN_HEX, v2)].sort()
    );
    assert.equal(f.grafeas.occurrences().length, 1);
  });

  it('an attested signal verifies each subject it names', async () => {
    const signal = {
      type: 'tekton-provenance.attested.v1',
      subjects: [{ name: IMAGE, digest: { sha256: CLEAN_HEX } }],
    };
    const res = await post(pushOf(signal));
    assert.equal(res.status, 200);
    assert.equal(res.body.results[0].result, 'PASSED');
    assert.equal(f.grafeas.occurrences().length, 1);
  });

  it('Container Analysis refusing (IAM not yet granted): 422, VSA stored; the redelivery writes the occurrence', async () => {
    f.grafeas.inject({ code: 7 }, 1000);
    const res = await post(pushOf(ar(CLEAN_HEX)));
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'BINAUTHZ_REFUSED');
    assert.deepEqual(vsas(), [vsaName(CLEAN_HEX)]);
    assert.equal(f.grafeas.occurrences().length, 0);
    f.grafeas.clearFaults();
    const retry = await post(pushOf(ar(CLEAN_HEX)));
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(f.grafeas.occurrences().length, 1);
  });

  it('Container Analysis unavailable: 503 with Retry-After, so Pub/Sub redelivers', async () => {
    f.grafeas.inject({ code: 14 }, 1000);
    const res = await post(pushOf(ar(CLEAN_HEX)));
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'BINAUTHZ_UNAVAILABLE');
    assert.equal(res.headers['retry-after'], '30');
  });

  it('no provenance yet: PENDING, nothing written', async () => {
    const hex = 'ab'.repeat(32);
    const res = await post(pushOf(ar(hex)));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.results, [
      { digest: `sha256:${hex}`, result: 'PENDING' },
    ]);
    assert.deepEqual(vsas(), []);
  });

  it('deletions are ignored (204) and bad bodies refused (400); nothing is written', async () => {
    const objects = f.names();
    assert.equal((await post(pushOf(ar(CLEAN_HEX, 'DELETE')))).status, 204);
    const bad = await post({ message: { data: 'not base64 json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'EVENT_MALFORMED');
    assert.equal((await post({ image: 'docker.io/x:latest' })).status, 400);
    assert.deepEqual(f.names(), objects);
  });
});
