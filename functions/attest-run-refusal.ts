// How attestRun refuses an event: the HTTP status per error class, and a body that never echoes cluster
// state. attestRun is a public URL, so a body must not become an oracle: error messages can name a run's
// real uid, stored keys, other objects, server paths or the API server's address; they go to the log only.
import type { Response } from '@google-cloud/functions-framework';
import {
  describeError,
  EventError,
  IncompleteRunError,
  isAttestError,
  ProvenanceError,
} from '../shared/core/errors.js';
import type { Logger } from '../shared/log.js';
import { errorCodeOf, sendCodedError } from './http-error.js';

export const RETRY_AFTER_SECONDS = '5';

// 400 bad event, 422 not attestable, 503 + Retry-After for everything transient or unexpected.
export function httpStatusOf(err: unknown): number {
  if (err instanceof EventError) return 400;
  if (err instanceof ProvenanceError) return 422;
  if (isAttestError(err) && err.code === 'STORE_KEY_INVALID') return 422;
  return 503;
}

const RETRY = 'retry later';

// One fixed sentence per code: what the caller may learn is the code, never the error's own detail.
const PUBLIC_MESSAGES: Readonly<Record<string, string>> = {
  RUN_NOT_FOUND:
    'expected the run the event names (kind, namespace, name and uid) in the cluster, got none',
  RUN_INVALID:
    'expected the run the event names and its child TaskRuns to be valid Tekton runs, got one that is not',
  RUN_NOT_ATTESTABLE:
    'expected the run the event names to be attestable, got one that is not',
  SUBJECT_MISSING: 'expected the run to name what it built, got nothing',
  RUN_INCOMPLETE: `expected the run and every child TaskRun finished, got some still running or absent; ${RETRY}`,
  KUBE_UNAVAILABLE: `expected an answer from the Kubernetes API, got a failure; ${RETRY}`,
  KMS_SIGN_FAILED: `expected a signature, got a failure; ${RETRY}`,
  KMS_INTEGRITY_MISMATCH: `expected a signature, got a failure; ${RETRY}`,
  SIGNER_INVALID: `expected a signature, got a failure; ${RETRY}`,
  STORE_READ_FAILED: `expected the attestation store to answer, got a failure; ${RETRY}`,
  STORE_WRITE_FAILED: `expected the attestation store to answer, got a failure; ${RETRY}`,
  STORE_KEY_INVALID:
    'expected the run to give valid store keys, got a name or uid outside the store layout',
  SIGNAL_PUBLISH_FAILED: `expected the attested signal to be published, got a failure; ${RETRY}`,
};

// What the caller is told. EventError messages describe only the caller's own request, so they stay.
export function publicMessageOf(err: unknown): string {
  if (err instanceof EventError) return err.message;
  const known = isAttestError(err) ? PUBLIC_MESSAGES[err.code] : undefined;
  return known ?? `unexpected failure; ${RETRY}`;
}

export type LogContext = Record<string, unknown> & { started: number };

// Answers 400/422/503 and logs it with the full message: ERROR for transient failures, WARNING for bad
// input and incomplete runs.
export function refuse(
  res: Response,
  err: unknown,
  logger: Logger,
  { started, ...fields }: LogContext
): void {
  const status = sendCodedError(
    res,
    httpStatusOf(err),
    err,
    RETRY_AFTER_SECONDS,
    publicMessageOf(err)
  );
  const severity =
    status === 503 && !(err instanceof IncompleteRunError)
      ? 'ERROR'
      : 'WARNING';
  logger.log(severity, `event refused: ${describeError(err)}`, {
    ...fields,
    status,
    code: errorCodeOf(err),
    durationMs: Date.now() - started,
  });
}
