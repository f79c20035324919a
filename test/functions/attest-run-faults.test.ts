import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import type { ExampleEvent } from '../../scripts/example-events.js';
import { KmsRestClient } from '../../shared/signers/kms-rest-client.js';
import {
  startGcsServer,
  type GcsServer,
  type GcsServerOptions,
} from '../stand-ins/gcs-server.js';
import {
  startKmsServer,
  type KmsServer,
  type KmsServerOptions,
} from '../stand-ins/kms-server.js';
import { faultTimes } from '../stand-ins/kube-server.js';
import {
  openEnvelope,
  postEvent,
  startSink,
  type Sink,
} from './sink-harness.js';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';

process.env.METADATA_SERVER_DETECTION = 'none';

describe('attestRun under dependency faults (KMS over REST and GCS stand-ins, through the clients production uses)', function () {
  this.timeout(30000);
  let sink: Sink;
  let kms: KmsServer;
  let gcs: GcsServer;
  const kmsOpts: KmsServerOptions = {};
  const gcsOpts: GcsServerOptions = {};
  let event: ExampleEvent;
  let example: ExamplePipeline;
  const objects = () => [...gcs.objects.keys()].sort();

  before(async () => {
    example = await readExamplePipeline();
    event = example.event('pipelinerun-successful');
    kms = await startKmsServer(kmsOpts);
    gcs = await startGcsServer(gcsOpts);
    // The production transport (REST); the gRPC client's faults are covered in test/signers.
    const kmsClient = new KmsRestClient(kms.restUrl);
    sink = await startSink(
      {
        SIGNER: kms.ref,
        STORE: 'gs://provenance-test/attestations',
        FORMATS: 'slsa/v0.2,slsa/v1.0',
      },
      {
        signerOptions: { kmsClient, deadlineMs: 1500, baseDelayMs: 20 },
        storeOptions: {
          apiEndpoint: gcs.url,
          deadlineMs: 1000,
          baseDelayMs: 20,
        },
      }
    );
    await sink.signer(); // warm up: the first KMS channel setup is not what these tests measure
  });
  after(async () => {
    await sink.close();
    await kms.close();
    await gcs.close();
  });
  beforeEach(() => {
    gcs.objects.clear();
    example.serve(sink.kube);
    sink.kube.fault = undefined;
    kmsOpts.fault = undefined;
    gcsOpts.fault = undefined;
  });

  async function expect503ThenSuccess(clear: () => void) {
    const res = await postEvent(sink, event).expect(503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(typeof res.body.error.code, 'string');
    assert.ok(
      !objects().some((k) => k.includes('/runs/')),
      'no runs/… object after a failure'
    );
    clear();
    const ok = await postEvent(sink, event);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(
      objects(),
      ok.body.stored
        .map((k: string) => `provenance-test/attestations/${k}`)
        .sort()
    );
    return ok;
  }

  it('Kubernetes API 500 → 503, nothing stored; the same event then succeeds', async () => {
    sink.kube.fault = () => ({ status: 500 });
    await expect503ThenSuccess(() => (sink.kube.fault = undefined));
  });

  it('Kubernetes API timeout or reset → 503; then succeeds', async () => {
    sink.kube.fault = faultTimes(1, { delayMs: 2000 });
    await postEvent(sink, event).expect(503);
    sink.kube.fault = faultTimes(1, { reset: true });
    await expect503ThenSuccess(() => undefined);
  });

  it('KMS unavailable → 503 and nothing stored; then the signature verifies with the KMS key', async () => {
    kmsOpts.fault = (method) =>
      method === 'AsymmetricSign' ? { code: status.UNAVAILABLE } : undefined;
    const ok = await expect503ThenSuccess(() => (kmsOpts.fault = undefined));
    assert.equal(ok.body.created, ok.body.stored.length);
    const key = ok.body.stored.find(
      (k: string) => k.startsWith('runs/') && k.endsWith('slsa-v0.2.dsse.json')
    );
    const bytes = gcs.objects.get(`provenance-test/attestations/${key}`)!.bytes;
    const statement = await openEnvelope(sink, JSON.parse(bytes.toString()));
    assert.equal(
      statement.predicate.buildType,
      'https://tekton.dev/attestations/chains/pipelinerun@v2'
    );
    assert.equal((await sink.signer()).publicKeyPem, kms.publicKeyPem());
  });

  it('GCS 503 on uploads → 503 with no runs/… object; then every key is stored exactly once', async () => {
    gcsOpts.fault = (req) =>
      req.op === 'upload' ? { status: 503 } : undefined;
    await expect503ThenSuccess(() => (gcsOpts.fault = undefined));
    const again = await postEvent(sink, event).expect(200);
    assert.equal(again.body.created, 0);
  });
});
