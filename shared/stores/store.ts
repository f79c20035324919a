import { serializeEnvelope } from '../core/dsse.js';
import type { Envelope } from '../core/types.js';

// Custom object metadata (GCS x-goog-meta-*): namespace, name, uid, kind, predicateType.
export type ObjectMetadata = Readonly<Record<string, string>>;

// An envelope serialised once, so one attestation written under several keys is serialised once.
export interface SerializedEnvelope {
  readonly envelope: Envelope;
  // serializeEnvelope(envelope): the exact bytes every store writes.
  readonly bytes: Buffer;
}

// Serialises env for put() under several keys.
export function serialized(envelope: Envelope): SerializedEnvelope {
  return { envelope, bytes: serializeEnvelope(envelope) };
}

// The bytes a store writes for put()'s envelope argument.
export function storedBytes(env: Envelope | SerializedEnvelope): Buffer {
  return 'bytes' in env ? env.bytes : serializeEnvelope(env);
}

// One key's outcome of a write-once put.
export interface StoredKey {
  key: string;
  result: 'created' | 'exists';
}

// Write-once: putting an existing key is success and changes nothing.
export interface AttestationStore {
  // A human-readable location for logs and CLI output (a directory or gs:// URL).
  readonly location: string;
  put(
    key: string,
    envelope: Envelope | SerializedEnvelope,
    metadata?: ObjectMetadata
  ): Promise<'created' | 'exists'>;
  // Optional: the same envelope under keys in order, each create-only, a key only once every earlier one is
  // stored; for a store that can share one write among them (FsStore: one fsync'd file, hard-linked).
  putInOrder?(
    keys: readonly string[],
    envelope: SerializedEnvelope
  ): Promise<StoredKey[]>;
  get(key: string): Promise<Envelope | undefined>;
  // Keys under a prefix, sorted; bounded lists are the caller's business.
  list(prefix: string): Promise<string[]>;
}
