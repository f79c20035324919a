// Builds the store a STORE/--store value names: a directory path, file://DIR, or gs://BUCKET[/PREFIX].
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { FsStore } from './fs-store.js';
import type { GcsStoreOptions } from './gcs-store.js';
import type { AttestationStore } from './store.js';

export interface CreateStoreOptions extends GcsStoreOptions {
  // e.g. http://127.0.0.1:PORT for the GCS stand-in; default STORAGE_EMULATOR_HOST, else storage.googleapis.com.
  apiEndpoint?: string;
  // Base for relative directory paths; default process.cwd().
  cwd?: string;
}

// Bucket names: 3-63 (or dotted up to 222) lowercase letters, digits, '-', '_', '.'.
const GS = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*))?$/;
const PREFIX = /^(?:[A-Za-z0-9._-]+\/)*(?:[A-Za-z0-9._-]+\/?)?$/;

function invalid(ref: string): never {
  throw new ConfigError(
    'CONFIG_INVALID',
    `expected a directory, file://DIR or gs://BUCKET[/PREFIX] store, got ${JSON.stringify(ref.slice(0, 200))}`
  );
}

async function gcsStore(ref: string, opts: CreateStoreOptions) {
  const m = GS.exec(ref);
  const prefix = m?.[2] ?? '';
  if (!m?.[1] || !PREFIX.test(prefix) || prefix.includes('..')) invalid(ref);
  const [{ GcsStore }, { JsonApiBucket }] = await Promise.all([
    import('./gcs-store.js'),
    import('./gcs-json-bucket.js'),
  ]);
  const base = withProtocol(
    opts.apiEndpoint ?? process.env['STORAGE_EMULATOR_HOST']
  );
  const bucket = new JsonApiBucket(m[1], {
    ...(base ? { base } : {}),
    ...(opts.deadlineMs ? { timeoutMs: opts.deadlineMs } : {}),
  });
  return new GcsStore(bucket, prefix, opts);
}

// An endpoint as @google-cloud/storage reads apiEndpoint and STORAGE_EMULATOR_HOST: https:// unless given.
function withProtocol(host: string | undefined): string | undefined {
  if (!host) return undefined;
  return /^https?:\/\//.test(host) ? host : `https://${host}`;
}

// Store for ref; heavy clients are imported only for gs:// refs (cold start).
export async function createStore(
  ref: string,
  opts: CreateStoreOptions = {}
): Promise<AttestationStore> {
  if (ref.startsWith('gs://')) return gcsStore(ref, opts);
  if (ref.startsWith('file://')) {
    const rest = ref.slice('file://'.length);
    if (rest === '') invalid(ref);
    return new FsStore(
      rest.startsWith('/')
        ? fileURLToPath(ref)
        : resolve(opts.cwd ?? process.cwd(), rest)
    );
  }
  if (ref === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) invalid(ref);
  return new FsStore(resolve(opts.cwd ?? process.cwd(), ref));
}
