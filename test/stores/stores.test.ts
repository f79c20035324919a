import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStore } from '../../shared/stores/fs-store.js';
import { GcsStore } from '../../shared/stores/gcs-store.js';
import { MemoryStore } from '../../shared/stores/memory-store.js';
import { startGcsServer } from '../stand-ins/gcs-server.js';
import { storeContract } from './store-contract.js';
import { bucketOn, GCS_CLIENTS } from './gcs-clients.js';

process.env['METADATA_SERVER_DETECTION'] = 'none';

storeContract('MemoryStore', () => {
  const store = new MemoryStore();
  return Promise.resolve({
    store,
    raw: (key) => Promise.resolve(store.objects.get(key)?.bytes),
    names: () => Promise.resolve([...store.objects.keys()]),
    close: () => Promise.resolve(),
  });
});

storeContract('FsStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'fs-store-'));
  return {
    store: new FsStore(root),
    raw: (key) => readFile(join(root, key)).catch(() => undefined),
    // Every file, hidden temporaries included: none may be left behind.
    names: async () => {
      const entries = await readdir(root, {
        recursive: true,
        withFileTypes: true,
      });
      return entries
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
});

for (const client of GCS_CLIENTS)
  storeContract(`GcsStore (${client}, JSON API stand-in)`, async () => {
    const server = await startGcsServer({ pageSize: 2 });
    const prefix = 'attestations/';
    return {
      store: new GcsStore(bucketOn(client, server.url), 'attestations'),
      raw: (key) =>
        Promise.resolve(server.objects.get(`bkt/${prefix}${key}`)?.bytes),
      names: () =>
        Promise.resolve(
          [...server.objects.keys()].map((k) => k.slice(`bkt/${prefix}`.length))
        ),
      close: () => server.close(),
    };
  });
