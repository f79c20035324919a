// In-memory store for tests and dry runs; same write-once semantics and bytes as the other stores.
import { parseEnvelope } from '../core/dsse.js';
import type { Envelope } from '../core/types.js';
import {
  storedBytes,
  type AttestationStore,
  type ObjectMetadata,
  type SerializedEnvelope,
} from './store.js';
import { checkLayoutKey, checkPrefix } from './store-keys.js';

// Keeps stored bytes (not objects), so tests can compare them exactly like files or GCS objects.
export class MemoryStore implements AttestationStore {
  readonly location = 'memory:';
  readonly objects = new Map<
    string,
    { bytes: Buffer; metadata: ObjectMetadata }
  >();

  // Promise-returning like the real stores: bad keys reject, they never throw synchronously.
  put(
    key: string,
    envelope: Envelope | SerializedEnvelope,
    metadata: ObjectMetadata = {}
  ): Promise<'created' | 'exists'> {
    return settle(() => {
      if (this.objects.has(checkLayoutKey(key))) return 'exists';
      const bytes = storedBytes(envelope);
      this.objects.set(key, { bytes, metadata: { ...metadata } });
      return 'created';
    });
  }

  get(key: string): Promise<Envelope | undefined> {
    return settle(() => {
      const object = this.objects.get(checkLayoutKey(key));
      return object && parseEnvelope(object.bytes);
    });
  }

  list(prefix: string): Promise<string[]> {
    return settle(() => {
      checkPrefix(prefix);
      return [...this.objects.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort();
    });
  }
}

function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}
