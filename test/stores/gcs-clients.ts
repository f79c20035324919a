// The two GcsBucket clients GcsStore runs on: the lean JSON API client (production) and @google-cloud/storage.
import { Storage } from '@google-cloud/storage';
import { JsonApiBucket } from '../../shared/stores/gcs-json-bucket.js';

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
  return storage.bucket(name);
}
