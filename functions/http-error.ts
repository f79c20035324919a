// The coded error answer both HTTP functions give (CONTRACT §5): {"error":{"code","message"}}.
import type { Response } from '@google-cloud/functions-framework';
import { isAttestError } from '../shared/core/errors.js';

// The error's code, or INTERNAL for anything that is not one of ours.
export function errorCodeOf(err: unknown): string {
  return isAttestError(err) ? err.code : 'INTERNAL';
}

// Answers status with the coded body; a 503 also carries Retry-After. Unexpected errors show no detail;
// a public endpoint passes its own message (attest-run-refusal.ts).
export function sendCodedError(
  res: Response,
  status: number,
  err: unknown,
  retryAfterSeconds: string,
  message = isAttestError(err) ? err.message : 'unexpected failure; retry later'
): number {
  if (status === 503) res.set('Retry-After', retryAfterSeconds);
  res.status(status).json({ error: { code: errorCodeOf(err), message } });
  return status;
}
