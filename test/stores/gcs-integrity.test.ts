import assert from 'node:assert/strict';
import { StorageError } from '../../shared/core/errors.js';
import { createStore } from '../../shared/stores/create-store.js';
import { startGcsServer, type GcsServer } from '../stand-ins/gcs-server.js';
import { GCS_CLIENTS, storePerTest } from './gcs-clients.js';
import { envelope } from './store-contract.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';
const KEY = `sha256/${'cd'.repeat(32)}/pipelinerun-u1.slsa-v0.2.dsse.json`;

for (const client of GCS_CLIENTS)
  describe(`GcsStore integrity checks (${client})`, () => {
    const storeWith = storePerTest(client);

    it('an upload altered in transit fails as STORE_WRITE_FAILED and leaves nothing stored', async () => {
      const { store, server, retries } = await storeWith({
        corruptUploads: true,
      });
      await assert.rejects(
        store.put(KEY, envelope()),
        (err: unknown) =>
          err instanceof StorageError &&
          err.code === 'STORE_WRITE_FAILED' &&
          /MD5|did not match/.test(err.message)
      );
      assert.equal(server.objects.size, 0);
      assert.deepEqual(retries, []);
    });

    it('a download altered in transit is STORE_READ_FAILED, not an envelope', async () => {
      const { store } = await storeWith({ corruptDownloads: true });
      assert.equal(await store.put(KEY, envelope()), 'created');
      await assert.rejects(
        store.get(KEY),
        (err: unknown) =>
          err instanceof StorageError && err.code === 'STORE_READ_FAILED'
      );
    });
  });

describe('createStore gs:// endpoints', () => {
  let server: GcsServer | undefined;
  const saved = process.env['STORAGE_EMULATOR_HOST'];
  afterEach(async () => {
    if (saved === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
    else process.env['STORAGE_EMULATOR_HOST'] = saved;
    await server?.close();
  });

  it('uses STORAGE_EMULATOR_HOST when no apiEndpoint is given', async () => {
    server = await startGcsServer();
    process.env['STORAGE_EMULATOR_HOST'] = server.url;
    const store = await createStore('gs://emu-bucket');
    assert.equal(await store.put(KEY, envelope()), 'created');
    assert.ok(server.objects.has(`emu-bucket/${KEY}`));
  });

  it('an apiEndpoint without a protocol is https, as @google-cloud/storage reads it', async () => {
    server = await startGcsServer();
    const store = await createStore('gs://emu-bucket', {
      apiEndpoint: `127.0.0.1:${server.port}`,
      deadlineMs: 500,
      baseDelayMs: 5,
    });
    // TLS to a plain-http port fails: the request went to https://127.0.0.1:PORT.
    await assert.rejects(store.put(KEY, envelope()), StorageError);
    assert.equal(server.objects.size, 0);
  });
});
