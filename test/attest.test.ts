import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { attestInput, type AttestDeps } from '../shared/attest.js';
import {
  decodePayload,
  parseEnvelope,
  publicKeyEntry,
  verifyEnvelope,
} from '../shared/core/dsse.js';
import { StorageError } from '../shared/core/errors.js';
import { DEFAULT_BUILDER_ID, type Format } from '../shared/core/formats.js';
import { makeRunInput } from '../shared/core/tekton.js';
import {
  parseRunDocument,
  parseTaskRunsDocument,
} from '../shared/core/tekton-documents.js';
import type { RunInput } from '../shared/core/types.js';
import { KmsSigner } from '../shared/signers/kms-signer.js';
import { LocalKeySigner } from '../shared/signers/local-key-signer.js';
import { clientBucket } from '../shared/stores/gcs-bucket.js';
import { GcsStore } from '../shared/stores/gcs-store.js';
import { MemoryStore } from '../shared/stores/memory-store.js';
import { startKms, type KmsFixture } from './signers/kms-stand-in.js';
import {
  startGcsServer,
  type GcsServer,
  type GcsServerOptions,
} from './stand-ins/gcs-server.js';
import { generateKeyPairSync } from 'node:crypto';

const FORMATS: Format[] = ['slsa/v0.2', 'slsa/v1.0', 'tekton'];
const OPTIONS = {
  builderId: DEFAULT_BUILDER_ID,
  buildType: 'slsa',
  deepInspection: false,
} as const;
const PREFIX = 'runs/ci/pipelinerun-';

function example(): RunInput {
  const read = (name: string) =>
    readFileSync(join(process.cwd(), `examples/tep-0084/${name}`), 'utf8');
  return makeRunInput(
    parseRunDocument(read('pipelinerun.json')),
    parseTaskRunsDocument(read('taskruns.json'))
  );
}

function localSigner() {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
  });
  return LocalKeySigner.fromPem(
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  );
}

describe('attestInput', () => {
  it('stores one verified envelope per format under runs/… and every sha256/… subject', async () => {
    const store = new MemoryStore();
    const signer = localSigner();
    const input = example();
    const out = await attestInput(input, {
      signer,
      store,
      formats: FORMATS,
      options: OPTIONS,
    });
    assert.deepEqual(out.existing, []);
    assert.deepEqual([...out.created].sort(), [...store.objects.keys()].sort());
    assert.equal(out.keys.length, store.objects.size);
    for (const format of FORMATS) {
      const token = format.replace('/', '-');
      const keys = out.keys.filter(
        (k) =>
          k.endsWith(`.${token}.dsse.json`) || k.endsWith(`/${token}.dsse.json`)
      );
      assert.ok(
        keys.some((k) => k.startsWith(PREFIX)) &&
          keys.some((k) => k.startsWith('sha256/')),
        format
      );
      const bytes = keys.map((k) => store.objects.get(k)!.bytes);
      assert.ok(
        bytes.every((b) => b.equals(bytes[0]!)),
        `${format}: one signature shared by all its keys`
      );
      const env = parseEnvelope(bytes[0]!);
      assert.deepEqual(
        verifyEnvelope(env, [publicKeyEntry(signer.publicKeyPem)]),
        { ok: true, keyid: signer.keyId }
      );
      assert.ok(decodePayload(env).length > 100);
    }
    const meta = store.objects.get(
      out.keys.find((k) => k.startsWith(PREFIX))!
    )!.metadata;
    assert.deepEqual(Object.keys(meta).sort(), [
      'kind',
      'name',
      'namespace',
      'predicateType',
      'uid',
    ]);
    assert.equal(meta['kind'], 'PipelineRun');
  });

  it('re-stores missing subject keys when the runs/… key is absent, changing nothing that exists', async () => {
    const store = new MemoryStore();
    const deps = {
      signer: localSigner(),
      store,
      formats: ['slsa/v0.2'] as Format[],
      options: OPTIONS,
    };
    const first = await attestInput(example(), deps);
    const runKey = first.keys.find((k) => k.startsWith(PREFIX))!;
    const subject = first.keys.find((k) => k.startsWith('sha256/'))!;
    const before = store.objects.get(subject)!.bytes;
    store.objects.delete(runKey);
    const second = await attestInput(example(), deps);
    assert.deepEqual(second.created, [runKey]);
    assert.ok(second.existing.includes(subject));
    assert.equal(store.objects.get(subject)!.bytes, before);
  });
});

describe('attestInput with Cloud KMS and GCS stand-ins', () => {
  let kms: KmsFixture;
  let gcs: GcsServer;
  const gcsOpts: GcsServerOptions = {};
  let deps: AttestDeps;
  before(async () => {
    kms = await startKms();
    gcs = await startGcsServer(gcsOpts);
    const storage = new Storage({
      apiEndpoint: gcs.url,
      projectId: 'test',
      retryOptions: { autoRetry: false },
    });
    const signer = await KmsSigner.create(kms.client, kms.server.ref);
    deps = {
      signer,
      store: new GcsStore(clientBucket(storage.bucket('prov')), '', {
        deadlineMs: 500,
        baseDelayMs: 5,
      }),
      formats: FORMATS,
      options: OPTIONS,
    };
  });
  after(async () => {
    await kms.close();
    await gcs.close();
  });
  beforeEach(() => {
    gcs.objects.clear();
    gcsOpts.fault = undefined;
  });

  it('one KMS call per format; a second attest signs nothing and leaves every byte unchanged', async () => {
    const signs = kms.server.counters.asymmetricSign;
    const first = await attestInput(example(), deps);
    assert.equal(kms.server.counters.asymmetricSign - signs, FORMATS.length);
    assert.equal(kms.server.counters.dataReceived, 0);
    const snapshot = new Map(
      [...gcs.objects].map(([k, o]) => [
        k,
        { bytes: Buffer.from(o.bytes), generation: o.generation },
      ])
    );
    const second = await attestInput(example(), deps);
    assert.equal(kms.server.counters.asymmetricSign - signs, FORMATS.length);
    assert.deepEqual(second, {
      keys: first.keys,
      created: [],
      existing: first.keys,
      subjects: first.subjects,
      signalled: false,
    });
    assert.deepEqual(
      new Map(
        [...gcs.objects].map(([k, o]) => [
          k,
          { bytes: o.bytes, generation: o.generation },
        ])
      ),
      snapshot
    );
  });

  it('never writes runs/… when a subject write fails, so the next attempt redoes the format', async () => {
    gcsOpts.fault = (req) =>
      req.op === 'upload' && req.name?.startsWith('sha256/')
        ? { status: 503 }
        : undefined;
    await assert.rejects(
      attestInput(example(), deps),
      (err: unknown) => err instanceof StorageError && !err.permanent
    );
    assert.ok(![...gcs.objects.keys()].some((k) => k.startsWith(`prov/runs/`)));
    gcsOpts.fault = undefined;
    const retry = await attestInput(example(), deps);
    assert.deepEqual(retry.existing, []);
  });
});
