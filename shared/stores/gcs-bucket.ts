// The four object operations GcsStore makes, so it runs on the lean JSON API client (production) or on
// @google-cloud/storage (injected by tests and callers that hold a Storage). Failures carry `code`: the HTTP
// status, or Node's error code for a broken connection, as @google-cloud/storage reports them (gcs-errors.ts).
import type { Bucket } from '@google-cloud/storage';
import type { ObjectMetadata } from './store.js';

export interface GcsBucket {
  readonly name: string;
  // Creates the object only if it does not exist (ifGenerationMatch=0: 412 otherwise), MD5-checked.
  create(
    name: string,
    bytes: Buffer,
    contentType: string,
    metadata: ObjectMetadata
  ): Promise<void>;
  exists(name: string): Promise<boolean>;
  // The object's bytes, checked against the MD5 GCS reports; 404 when absent.
  download(name: string): Promise<Buffer>;
  // One page of object names under prefix.
  listPage(
    prefix: string,
    pageToken?: string
  ): Promise<{ names: string[]; nextPageToken?: string }>;
}

// @google-cloud/storage's Bucket as a GcsBucket (its own retries should be off: GcsStore retries).
export function clientBucket(bucket: Bucket): GcsBucket {
  return {
    name: bucket.name,
    create: async (name, bytes, contentType, metadata) => {
      await bucket.file(name).save(bytes, {
        resumable: false,
        // Checked against the server's md5Hash with native MD5; the default CRC32C is byte-at-a-time JS.
        validation: 'md5',
        contentType,
        metadata: { metadata: { ...metadata } },
        preconditionOpts: { ifGenerationMatch: 0 },
      });
    },
    exists: async (name) => (await bucket.file(name).exists())[0],
    download: async (name) => (await bucket.file(name).download())[0],
    listPage: async (prefix, pageToken) => {
      const [files, next] = await bucket.getFiles({
        prefix,
        autoPaginate: false,
        ...(pageToken ? { pageToken } : {}),
      });
      const token = (next as { pageToken?: string } | null | undefined)
        ?.pageToken;
      return {
        names: files.map((f) => f.name),
        ...(token ? { nextPageToken: token } : {}),
      };
    },
  };
}
