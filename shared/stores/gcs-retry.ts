// One GCS operation under the store's deadline: attempts bounded by what is left of it, transient failures
// retried with backoff, anything that still fails wrapped in a StorageError.
import { StorageError } from '../core/errors.js';
import { retryTransient, withTimeout } from '../retry.js';
import { detail, isTransientGcsError } from './gcs-errors.js';

// Deadline and backoff of every GcsStore operation.
export interface GcsRetryOptions {
  // Budget per operation, retries included; default 10 s.
  deadlineMs?: number;
  // First retry backoff; default 100 ms.
  baseDelayMs?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

// Runs op until it succeeds, fails permanently or the deadline passes; `what` completes "expected to …".
export function retriedGcs<T>(
  opts: GcsRetryOptions,
  code: 'STORE_WRITE_FAILED' | 'STORE_READ_FAILED',
  what: string,
  op: () => Promise<T>
): Promise<T> {
  const timedOut = () =>
    Object.assign(new Error(`timed out: ${what}`), { code: 'ETIMEDOUT' });
  const options = {
    deadlineMs: opts.deadlineMs ?? 10_000,
    baseDelayMs: opts.baseDelayMs ?? 100,
    isTransient: isTransientGcsError,
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  };
  return retryTransient((ms) => withTimeout(op(), ms, timedOut), options).catch(
    (err: unknown) => {
      if (err instanceof StorageError) throw err;
      throw new StorageError(code, `expected to ${what}, got ${detail(err)}`, {
        cause: err,
      });
    }
  );
}
