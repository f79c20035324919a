// Reads a stored envelope; a malformed object is reported as its message, a failing store throws.
import { VerificationError } from '../core/errors.js';
import type { Envelope } from '../core/types.js';
import type { AttestationStore } from '../stores/store.js';

// The envelope, the reason it is malformed (a string), or undefined when the key holds nothing.
export async function readEnvelope(
  store: AttestationStore,
  key: string
): Promise<Envelope | string | undefined> {
  try {
    return await store.get(key);
  } catch (err) {
    // Stores wrap the DSSE parser's VerificationError; anything else is a read failure (exit 1).
    if ((err as Error).cause instanceof VerificationError)
      return (err as Error).message;
    throw err;
  }
}
