// How GCS client failures are classified: transient (retried), 403 (permissions) and one-line details.
import { isAttestError, type StorageError } from '../core/errors.js';
import { PermanentStorageError } from './store-errors.js';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

// The HTTP status (or Node error code) the client attached to a failure.
export function statusOf(err: unknown): unknown {
  return (err as { code?: unknown } | undefined)?.code;
}

// 408, 429, 5xx, connection resets and timeouts are worth another attempt; 4xx and our own errors are not.
export function isTransientGcsError(err: unknown): boolean {
  if (isAttestError(err)) return false;
  const code = statusOf(err);
  if (typeof code === 'number')
    return code === 408 || code === 429 || code >= 500;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /socket hang up|network|timeout/i.test(
    err instanceof Error ? err.message : ''
  );
}

// "CODE first line of the message", for error messages.
export function detail(err: unknown): string {
  const message = err instanceof Error ? err.message.split('\n')[0] : 'unknown';
  const code = statusOf(err);
  const shown = typeof code === 'number' || typeof code === 'string';
  return `${shown ? code : 'error'} ${message}`;
}

// A 403 on a create of an object that is not there (or cannot be seen): permanent until IAM changes.
export function accessDenied(where: string, err: unknown): StorageError {
  return new PermanentStorageError(
    'STORE_WRITE_FAILED',
    `expected to create ${where}, got ${detail(err)}; the writer needs storage.objects.create ` +
      '(roles/storage.objectCreator) and storage.objects.get (roles/storage.objectViewer) on the bucket',
    { cause: err }
  );
}
