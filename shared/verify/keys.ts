// Verification keys from --key values: PEM public key files, or gcpkms:// references whose public key
// is fetched through the KMS client (one per key version; give several for rotation).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { publicKeyEntry, type PublicKeyEntry } from '../core/dsse.js';
import { ConfigError } from '../core/errors.js';
import {
  createSigner,
  type CreateSignerOptions,
} from '../signers/create-signer.js';

// A key and where it came from (for reports).
export interface VerificationKey extends PublicKeyEntry {
  source: string;
}

export type LoadKeyOptions = Pick<
  CreateSignerOptions,
  'kmsClient' | 'deadlineMs' | 'baseDelayMs'
> & {
  cwd?: string;
};

async function pemOf(ref: string, opts: LoadKeyOptions): Promise<string> {
  if (ref.startsWith('gcpkms://')) {
    return (await createSigner(ref, opts)).publicKeyPem;
  }
  const path = resolve(opts.cwd ?? process.cwd(), ref);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected a readable PEM public key at ${path}, got ${(err as NodeJS.ErrnoException).code ?? 'an error'}`,
      { cause: err }
    );
  }
}

// One key per reference; ConfigError (exit 2) when a file is not a public key.
export async function loadKey(
  ref: string,
  opts: LoadKeyOptions = {}
): Promise<VerificationKey> {
  const pem = await pemOf(ref, opts);
  try {
    return { ...publicKeyEntry(pem), source: ref };
  } catch (err) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `expected a PEM public key in ${ref}, got ${(err as Error).message.split('\n')[0]}`,
      { cause: err }
    );
  }
}

// Every --key, in order, loaded in parallel.
export function loadKeys(
  refs: readonly string[],
  opts: LoadKeyOptions = {}
): Promise<VerificationKey[]> {
  return Promise.all(refs.map((ref) => loadKey(ref, opts)));
}
