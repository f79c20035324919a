// How Container Analysis failures map onto AttestationError, and the bounded retry around each attempt.
import { AttestationError, isAttestError } from '../core/errors.js';
import { retryTransient } from '../retry.js';

// gRPC codes worth another attempt: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE.
const TRANSIENT_CODES = new Set([4, 8, 13, 14]);
const CODE_NAMES: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

export interface AttestationOptions {
  // Budget for the whole ensure (list, sign, create), retries included; default 20 s.
  deadlineMs?: number;
  // Most one Container Analysis call may take before it counts as DEADLINE_EXCEEDED; default 5 s.
  callTimeoutMs?: number;
  // First retry backoff; default 200 ms (doubling, jittered, capped at 2 s by retryTransient).
  baseDelayMs?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

// Per-call gax options: gax's own retries off (ours are bounded by the deadline), and a call timeout.
export interface GrafeasCallOptions {
  retry: null;
  timeout: number;
}

const grpcCode = (err: unknown): unknown => (err as { code?: unknown }).code;

// Worth another attempt: the gRPC codes above and our own transient errors (not bugs without a code).
export function isRetryableGrafeasError(err: unknown): boolean {
  if (isAttestError(err)) return !err.permanent;
  return TRANSIENT_CODES.has(grpcCode(err) as number);
}

// Permanent: a gRPC status outside the transient set (PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT, …).
function isRefusal(err: unknown): boolean {
  const code = grpcCode(err);
  return typeof code === 'number' && !TRANSIENT_CODES.has(code);
}

// Our errors pass through (a SigningError stays one); anything else is named by its gRPC code only, so
// no server text or payload reaches logs; a failure without a gRPC status counts as transient.
export function toAttestationError(err: unknown, noteName: string): Error {
  if (isAttestError(err)) return err;
  const code = grpcCode(err);
  const name =
    typeof code === 'number'
      ? `gRPC ${code} ${CODE_NAMES[code] ?? ''}`.trim()
      : 'no gRPC status';
  return new AttestationError(
    isRefusal(err) ? 'BINAUTHZ_REFUSED' : 'BINAUTHZ_UNAVAILABLE',
    `expected Container Analysis to record an attestation on ${noteName}, got ${name}`,
    { cause: err }
  );
}

// Runs attempt until it succeeds, fails permanently or the deadline leaves no room for another try.
export function withGrafeasRetries<T>(
  noteName: string,
  opts: AttestationOptions,
  attempt: (call: GrafeasCallOptions) => Promise<T>
): Promise<T> {
  const callTimeoutMs = opts.callTimeoutMs ?? 5_000;
  return retryTransient(
    (remaining) =>
      attempt({ retry: null, timeout: Math.min(callTimeoutMs, remaining) }),
    {
      deadlineMs: opts.deadlineMs ?? 20_000,
      baseDelayMs: opts.baseDelayMs ?? 200,
      isTransient: isRetryableGrafeasError,
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    }
  ).catch((err: unknown) => {
    throw toAttestationError(err, noteName);
  });
}
