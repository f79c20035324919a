// The two GcsBucket clients GcsStore runs on: the lean JSON API client (production) and @google-cloud/storage.
import { Storage } from '@google-cloud/storage';
import { clientBucket } from '../../shared/stores/gcs-bucket.js';
import { JsonApiBucket } from '../../shared/stores/gcs-json-bucket.js';
import { GcsStore } from '../../shared/stores/gcs-store.js';
import {
  startGcsServer,
  type GcsServer,
  type GcsServerOptions,
} from '../stand-ins/gcs-server.js';

export const GCS_CLIENTS = ['json-api', 'storage-client'] as const;
export type GcsClient = (typeof GCS_CLIENTS)[number];

// A bucket handle on the stand-in at url, through the named client (the official one with its retries off).
export function bucketOn(client: GcsClient, url: string, name = 'bkt') {
  if (client === 'json-api') return new JsonApiBucket(name, { base: url });
  const storage = new Storage({
    apiEndpoint: url,
    projectId: 'test',
    retryOptions: { autoRetry: false },
  });
  return clientBucket(storage.bucket(name));
}

// A GcsStore on a fresh stand-in through the named client (2 s deadline, 5 ms backoff), and the retries it made.
export async function storeOnStandIn(
  client: GcsClient,
  opts: GcsServerOptions
): Promise<{ store: GcsStore; server: GcsServer; retries: unknown[] }> {
  const server = await startGcsServer(opts);
  const retries: unknown[] = [];
  const store = new GcsStore(bucketOn(client, server.url), '', {
    deadlineMs: 2000,
    baseDelayMs: 5,
    onRetry: (err) => retries.push(err),
  });
  return { store, server, retries };
}

// Inside a describe: storeOnStandIn for the named client, its stand-in closed after each test.
export function storePerTest(client: GcsClient) {
  let server: GcsServer | undefined;
  afterEach(() => server?.close());
  return async (opts: GcsServerOptions) => {
    const made = await storeOnStandIn(client, opts);
    server = made.server;
    return made;
  };
}
