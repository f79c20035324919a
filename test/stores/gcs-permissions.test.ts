import assert from 'node:assert/strict';
import { serializeEnvelope } from '../../shared/core/dsse.js';
import { StorageError } from '../../shared/core/errors.js';
import { envelope } from './store-contract.js';
import { GCS_CLIENTS, storePerTest } from './gcs-clients.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';
const KEY = `sha256/${'ab'.repeat(32)}/taskrun-u1.slsa-v1.0.dsse.json`;

const permanentDenied = (err: unknown) =>
  err instanceof StorageError &&
  err.code === 'STORE_WRITE_FAILED' &&
  err.permanent &&
  /got 403 .*roles\/storage\.objectCreator.*roles\/storage\.objectViewer/.test(
    err.message
  );

// A writer with objectCreator + objectViewer only (infra/iam.tf): GCS may answer 403, not 412, for existing objects.
for (const client of GCS_CLIENTS)
  describe(`GcsStore with create-only permissions (403 instead of 412; ${client})`, () => {
    const storeWith = storePerTest(client);

    it("reports an existing object as 'exists' after checking its metadata, bytes untouched", async () => {
      const { store, server, retries } = await storeWith({
        overwriteForbidden: true,
      });
      const first = envelope();
      assert.equal(await store.put(KEY, first), 'created');
      const { generation } = server.objects.get(`bkt/${KEY}`)!;
      const before = server.counters.requests;
      assert.equal(await store.put(KEY, envelope()), 'exists');
      assert.equal(server.counters.requests - before, 2); // the upload, then one metadata GET
      assert.equal(server.counters.forbidden, 1);
      assert.equal(server.counters.downloads, 0);
      const stored = server.objects.get(`bkt/${KEY}`)!;
      assert.deepEqual(stored.bytes, serializeEnvelope(first));
      assert.equal(stored.generation, generation);
      assert.deepEqual(retries, []);
    });

    it('surfaces a 403 on a missing object as a permanent permissions error, not retried', async () => {
      const { store, server, retries } = await storeWith({
        fault: ({ op }) => (op === 'upload' ? { status: 403 } : undefined),
      });
      await assert.rejects(store.put(KEY, envelope()), permanentDenied);
      assert.equal(server.counters.requests, 2); // one upload, one metadata GET (404)
      assert.equal(server.objects.size, 0);
      assert.deepEqual(retries, []);
    });

    it('is permanent too when the metadata GET is forbidden as well', async () => {
      const { store, server } = await storeWith({
        fault: () => ({ status: 403 }),
      });
      await assert.rejects(store.put(KEY, envelope()), permanentDenied);
      assert.equal(server.counters.requests, 2);
    });

    it('retries a transient failure of the metadata GET, then reports exists', async () => {
      let failGet = 1;
      const { store, server, retries } = await storeWith({
        overwriteForbidden: true,
        fault: ({ op }) =>
          op === 'get' && failGet-- > 0 ? { status: 503 } : undefined,
      });
      assert.equal(await store.put(KEY, envelope()), 'created');
      assert.equal(await store.put(KEY, envelope()), 'exists');
      assert.equal(retries.length, 1);
      assert.equal(server.counters.forbidden, 2);
    });
  });
