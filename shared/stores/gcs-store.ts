// GCS store: create-only objects (ifGenerationMatch=0), single-request uploads, transient failures retried.
// https://cloud.google.com/storage/docs/request-preconditions
// https://cloud.google.com/storage/docs/access-control/iam-permissions (overwriting needs storage.objects.delete)
import type { GcsBucket } from './gcs-bucket.js';
import { DSSE_CONTENT_TYPE } from '../core/formats.js';
import { isLayoutKey } from '../core/layout.js';
import type { Envelope } from '../core/types.js';
import { accessDenied, isTransientGcsError, statusOf } from './gcs-errors.js';
import { retriedGcs, type GcsRetryOptions } from './gcs-retry.js';
import {
  storedBytes,
  type AttestationStore,
  type ObjectMetadata,
  type SerializedEnvelope,
} from './store.js';
import { checkLayoutKey, checkPrefix, parseStored } from './store-keys.js';

// Deadline and backoff per operation (see gcs-retry.ts).
export type GcsStoreOptions = GcsRetryOptions;

export { isTransientGcsError };

// Object names are PREFIX + layout key; everything else in the bucket is invisible to us.
export class GcsStore implements AttestationStore {
  readonly location: string;
  private readonly prefix: string;

  // bucket: the lean JSON API client (createStore's), or clientBucket() over @google-cloud/storage.
  constructor(
    private readonly bucket: GcsBucket,
    prefix = '',
    private readonly opts: GcsStoreOptions = {}
  ) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.location = `gs://${bucket.name}/${this.prefix}`;
  }

  // One attempt at a time, each bounded by what is left of the deadline.
  private retried<T>(
    code: 'STORE_WRITE_FAILED' | 'STORE_READ_FAILED',
    what: string,
    op: () => Promise<T>
  ): Promise<T> {
    return retriedGcs(this.opts, code, what, op);
  }

  // 412 Precondition Failed means the object exists: success, nothing changed. Without
  // storage.objects.delete, GCS may answer 403 instead of 412 for an existing object: a metadata GET decides.
  async put(
    key: string,
    envelope: Envelope | SerializedEnvelope,
    metadata: ObjectMetadata = {}
  ): Promise<'created' | 'exists'> {
    const name = this.prefix + checkLayoutKey(key);
    const bytes = storedBytes(envelope);
    return await this.retried(
      'STORE_WRITE_FAILED',
      `write ${this.location}${key}`,
      async () => {
        try {
          await this.bucket.create(name, bytes, DSSE_CONTENT_TYPE, metadata);
          return 'created' as const;
        } catch (err) {
          if (statusOf(err) === 412) return 'exists' as const;
          if (statusOf(err) === 403) return this.existsAfter403(name, key, err);
          throw err;
        }
      }
    );
  }

  // 'exists' when the object is there; otherwise a permanent permissions error (a 403 on the GET too).
  private async existsAfter403(
    name: string,
    key: string,
    createErr: unknown
  ): Promise<'exists'> {
    const where = `${this.location}${key}`;
    const exists = await this.bucket.exists(name).catch((err: unknown) => {
      throw statusOf(err) === 403 ? accessDenied(where, err) : err;
    });
    if (exists) return 'exists';
    throw accessDenied(where, createErr);
  }

  async get(key: string): Promise<Envelope | undefined> {
    const name = this.prefix + checkLayoutKey(key);
    return await this.retried(
      'STORE_READ_FAILED',
      `read ${this.location}${key}`,
      async () => {
        try {
          const bytes = await this.bucket.download(name);
          return parseStored(bytes, `${this.location}${key}`);
        } catch (err) {
          if (statusOf(err) === 404) return undefined;
          throw err;
        }
      }
    );
  }

  // Pages through the listing (each page retried on its own); layout keys only, sorted.
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.retried(
        'STORE_READ_FAILED',
        `list ${this.location}${prefix}`,
        () => this.bucket.listPage(this.prefix + checkPrefix(prefix), token)
      );
      keys.push(
        ...page.names
          .map((n) => n.slice(this.prefix.length))
          .filter(isLayoutKey)
      );
      pageToken = page.nextPageToken;
    } while (pageToken);
    return keys.sort();
  }
}
