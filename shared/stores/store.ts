import type { Envelope } from '../core/types.js';

// Custom object metadata (GCS x-goog-meta-*): namespace, name, uid, kind, predicateType.
export type ObjectMetadata = Readonly<Record<string, string>>;

// Write-once: putting an existing key is success and changes nothing.
export interface AttestationStore {
  // A human-readable location for logs and CLI output (a directory or gs:// URL).
  readonly location: string;
  put(
    key: string,
    envelope: Envelope,
    metadata?: ObjectMetadata
  ): Promise<'created' | 'exists'>;
  get(key: string): Promise<Envelope | undefined>;
  // Keys under a prefix, sorted; bounded lists are the caller's business.
  list(prefix: string): Promise<string[]>;
}
