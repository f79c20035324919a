// Key and prefix checks every store applies before touching a path or an object name.
import { StorageError } from '../core/errors.js';
import { isLayoutKey } from '../core/layout.js';
import { parseEnvelope } from '../core/dsse.js';
import type { Envelope } from '../core/types.js';

// Refuses keys outside CONTRACT §4 (StorageError STORE_KEY_INVALID, permanent).
export function checkLayoutKey(key: string): string {
  if (!isLayoutKey(key)) {
    throw new StorageError(
      'STORE_KEY_INVALID',
      `expected a store key of the layout, got ${JSON.stringify(key.slice(0, 200))}`
    );
  }
  return key;
}

// Refuses list prefixes that are absolute or contain traversal.
export function checkPrefix(prefix: string): string {
  if (
    !/^[A-Za-z0-9._/-]*$/.test(prefix) ||
    prefix.startsWith('/') ||
    prefix.includes('..')
  ) {
    throw new StorageError(
      'STORE_KEY_INVALID',
      `expected a relative key prefix, got ${JSON.stringify(prefix.slice(0, 200))}`
    );
  }
  return prefix;
}

// A stored object that does not parse is a read failure naming the object, not a crash.
export function parseStored(bytes: Buffer, where: string): Envelope {
  try {
    return parseEnvelope(bytes);
  } catch (err) {
    throw new StorageError(
      'STORE_READ_FAILED',
      `expected a DSSE envelope in ${where}, got ${(err as Error).message}`,
      { cause: err }
    );
  }
}
