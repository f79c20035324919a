// The policy a summary names: its exact bytes (hashed into the VSA), from a file or a gs:// object.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { statusOf } from '../stores/gcs-errors.js';
import { retriedGcs } from '../stores/gcs-retry.js';
import { parsePolicy, type Policy } from '../verify/policy.js';

export interface PolicySource {
  policy: Policy;
  uri: string;
  // sha256 of the bytes the policy was parsed from.
  sha256: string;
}

export interface PolicySourceOptions {
  cwd?: string;
  // e.g. http://127.0.0.1:PORT for the GCS stand-in.
  apiEndpoint?: string;
}

const GS_OBJECT = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])\/(.+)$/;

function missing(uri: string, why: string, cause?: unknown): never {
  const what = uri.startsWith('gs://') ? 'object' : 'file';
  throw new ConfigError(
    'CONFIG_INVALID',
    `expected a readable policy ${what} at ${uri}, got ${why}`,
    { cause }
  );
}

// gs://BUCKET/OBJECT through @google-cloud/storage (loaded only here); 404/403 are configuration errors.
async function readGcs(
  ref: string,
  opts: PolicySourceOptions
): Promise<Buffer> {
  const m = GS_OBJECT.exec(ref);
  if (!m?.[1] || !m[2])
    return missing(ref, 'a name that is not gs://BUCKET/OBJECT');
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    retryOptions: { autoRetry: false },
    ...(opts.apiEndpoint && {
      apiEndpoint: opts.apiEndpoint,
      projectId: 'local',
    }),
  });
  const file = storage.bucket(m[1]).file(m[2]);
  // 404/403 come back as a status so the retry wrapper never turns them into a transient failure.
  const got = await retriedGcs(
    {},
    'STORE_READ_FAILED',
    `read the policy ${ref}`,
    async () => {
      try {
        return (await file.download())[0];
      } catch (err) {
        const status = statusOf(err);
        if (status === 404 || status === 403) return status;
        throw err;
      }
    }
  );
  return typeof got === 'number' ? missing(ref, `HTTP ${got}`) : got;
}

// Reads and parses the policy at ref (a path, file:// URL or gs:// object).
export async function loadPolicySource(
  ref: string,
  opts: PolicySourceOptions = {}
): Promise<PolicySource> {
  let uri = ref;
  let bytes: Buffer;
  if (ref.startsWith('gs://')) bytes = await readGcs(ref, opts);
  else {
    const path = ref.startsWith('file://')
      ? new URL(ref).pathname
      : resolve(opts.cwd ?? process.cwd(), ref);
    uri = pathToFileURL(path).href;
    bytes = await readFile(path).catch((err: NodeJS.ErrnoException) =>
      missing(path, err.code ?? 'an error', err)
    );
  }
  return {
    policy: parsePolicy(bytes.toString('utf8'), ref),
    uri,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
