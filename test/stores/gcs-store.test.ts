import assert from 'node:assert/strict';
import { serializeEnvelope } from '../../shared/core/dsse.js';
import { ConfigError, StorageError } from '../../shared/core/errors.js';
import { DSSE_CONTENT_TYPE } from '../../shared/core/formats.js';
import { createStore } from '../../shared/stores/create-store.js';
import { GcsStore } from '../../shared/stores/gcs-store.js';
import {
  startGcsServer,
  type GcsFault,
  type GcsRequestInfo,
  type GcsServer,
} from '../stand-ins/gcs-server.js';
import { envelope } from './store-contract.js';
import { bucketOn, GCS_CLIENTS } from './gcs-clients.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';
const KEY = `sha256/${'ef'.repeat(32)}/pipelinerun-u1.slsa-v1.0.dsse.json`;

// Faults for the first n uploads, then normal service.
function firstUploads(n: number, fault: GcsFault) {
  let left = n;
  return ({ op }: { op: string }) =>
    op === 'upload' && left-- > 0 ? fault : undefined;
}

for (const client of GCS_CLIENTS)
  describe(`GcsStore against the GCS stand-in (${client})`, () => {
    let server: GcsServer | undefined;
    afterEach(() => server?.close());

    async function storeWith(
      fault?: (req: GcsRequestInfo) => GcsFault | undefined,
      deadlineMs = 3000
    ) {
      server = await startGcsServer(fault ? { fault } : {});
      const retries: number[] = [];
      const store = new GcsStore(bucketOn(client, server.url), '', {
        deadlineMs,
        baseDelayMs: 5,
        onRetry: (_e, n) => retries.push(n),
      });
      return { store, retries, server };
    }

    it('uploads once with the DSSE content type and custom metadata', async () => {
      const { store, server } = await storeWith();
      const env = envelope();
      const meta = {
        namespace: 'ci',
        name: 'build',
        uid: 'u1',
        kind: 'PipelineRun',
        predicateType: 'https://slsa.dev/provenance/v1',
      };
      assert.equal(await store.put(KEY, env, meta), 'created');
      const object = server.objects.get(`bkt/${KEY}`);
      assert.equal(object?.contentType, DSSE_CONTENT_TYPE);
      assert.deepEqual(object?.metadata, meta);
      assert.deepEqual(object?.bytes, serializeEnvelope(env));
      assert.equal(server.counters.uploads, 1);
    });

    it('retries 503 and resets, then stores exactly one object', async () => {
      let n = 0;
      const faults: GcsFault[] = [
        { status: 503 },
        { reset: true },
        { status: 429 },
      ];
      const { store, retries, server } = await storeWith(
        ({ op }: GcsRequestInfo) => (op === 'upload' ? faults[n++] : undefined)
      );
      assert.equal(await store.put(KEY, envelope()), 'created');
      assert.deepEqual(retries, [1, 2, 3]);
      assert.equal(server.objects.size, 1);
    });

    it('treats a write whose reply was lost as stored (412 on the retry)', async () => {
      const env = envelope();
      const { store, server } = await storeWith(
        firstUploads(1, { reset: true, after: true })
      );
      assert.equal(await store.put(KEY, env), 'exists');
      assert.deepEqual(
        server.objects.get(`bkt/${KEY}`)?.bytes,
        serializeEnvelope(env)
      );
      assert.equal(server.counters.preconditionFailed, 1);
    });

    it('gives up inside the deadline with a transient STORE_WRITE_FAILED', async () => {
      const { store } = await storeWith(() => ({ status: 503 }), 300);
      const started = Date.now();
      await assert.rejects(
        store.put(KEY, envelope()),
        (err: unknown) =>
          err instanceof StorageError &&
          err.code === 'STORE_WRITE_FAILED' &&
          !err.permanent
      );
      assert.ok(Date.now() - started < 1000);
    });

    it('bounds a stalled upload by the deadline', async () => {
      const { store } = await storeWith(
        firstUploads(10, { delayMs: 2000 }),
        250
      );
      const started = Date.now();
      await assert.rejects(
        store.put(KEY, envelope()),
        /STORE_WRITE_FAILED|expected to write/
      );
      assert.ok(Date.now() - started < 1000);
    });

    it('retries reads and reports a corrupt object as STORE_READ_FAILED', async () => {
      let failed = false;
      const { store, server } = await storeWith(({ op }: GcsRequestInfo) =>
        op === 'download' && !failed
          ? ((failed = true), { status: 500 })
          : undefined
      );
      const env = envelope();
      await store.put(KEY, env);
      assert.deepEqual(await store.get(KEY), env);
      server.objects.get(`bkt/${KEY}`)!.bytes = Buffer.from(
        '{"not":"an envelope"}'
      );
      await assert.rejects(
        store.get(KEY),
        (err: unknown) =>
          err instanceof StorageError && err.code === 'STORE_READ_FAILED'
      );
    });

    it('createStore builds it from gs://BUCKET/PREFIX and refuses bad refs', async () => {
      server = await startGcsServer();
      const store = await createStore('gs://my-bucket/team/prov', {
        apiEndpoint: server.url,
      });
      assert.equal(store.location, 'gs://my-bucket/team/prov/');
      assert.equal(await store.put(KEY, envelope()), 'created');
      assert.ok(server.objects.has(`my-bucket/team/prov/${KEY}`));
      assert.deepEqual(await store.list('sha256/'), [KEY]);
      for (const bad of [
        'gs://',
        'gs://B',
        'gs://bkt/../x',
        's3://bkt',
        'gs://bkt/a b',
      ]) {
        await assert.rejects(createStore(bad), ConfigError, bad);
      }
    });
  });
