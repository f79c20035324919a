// Coded errors with an explicit permanent/transient split; adapters map them to HTTP, gRPC and exit codes.
export abstract class AttestError<C extends string = string> extends Error {
  abstract readonly permanent: boolean;
  constructor(
    readonly code: C,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

// The request or file is not a usable event or run (HTTP 400, exit 2).
export class EventError extends AttestError<
  'EVENT_MALFORMED' | 'EVENT_UNSUPPORTED' | 'EVENT_TOO_LARGE'
> {
  readonly permanent = true;
}

// The run exists but cannot be attested as asked (HTTP 422, exit 2).
export class ProvenanceError extends AttestError<
  'RUN_NOT_FOUND' | 'RUN_INVALID' | 'RUN_NOT_ATTESTABLE' | 'SUBJECT_MISSING'
> {
  readonly permanent = true;
}

// A PipelineRun whose children are not all present and finished yet: retry later (HTTP 503).
export class IncompleteRunError extends AttestError<'RUN_INCOMPLETE'> {
  readonly permanent = false;
}

// A webhook payload failed authentication, or was already signed for another event (interceptor code 9).
export class WebhookError extends AttestError<
  'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_SIGNATURE_MISSING' | 'WEBHOOK_REPLAYED'
> {
  readonly permanent = true;
}

// The Kubernetes API failed or timed out (HTTP 503).
export class SourceError extends AttestError<'KUBE_UNAVAILABLE'> {
  readonly permanent = false;
}

// Signing failed; KMS integrity mismatches are transient because a retry may succeed (HTTP 503).
export class SigningError extends AttestError<
  'KMS_SIGN_FAILED' | 'KMS_INTEGRITY_MISMATCH' | 'SIGNER_INVALID'
> {
  get permanent(): boolean {
    return this.code === 'SIGNER_INVALID';
  }
}

// The store failed or timed out (HTTP 503), or a key is outside the layout (permanent).
export class StorageError extends AttestError<
  'STORE_WRITE_FAILED' | 'STORE_READ_FAILED' | 'STORE_KEY_INVALID'
> {
  get permanent(): boolean {
    return this.code === 'STORE_KEY_INVALID';
  }
}

// Recording a Binary Authorization attestation failed: Container Analysis was unreachable (transient, HTTP 503),
// refused the call (permanent: permissions, missing note, bad request), or the note or image was malformed.
export class AttestationError extends AttestError<
  'BINAUTHZ_UNAVAILABLE' | 'BINAUTHZ_REFUSED' | 'BINAUTHZ_INVALID'
> {
  get permanent(): boolean {
    return this.code !== 'BINAUTHZ_UNAVAILABLE';
  }
}

// The attested signal could not be published (Pub/Sub failed or timed out): retry later (HTTP 503).
export class SignalError extends AttestError<'SIGNAL_PUBLISH_FAILED'> {
  readonly permanent = false;
}

// Configuration problems, all listed at once; the process does not start (exit 2).
export class ConfigError extends AttestError<
  'CONFIG_MISSING' | 'CONFIG_INVALID'
> {
  readonly permanent = true;
}

// A verification check failed (exit 1).
export class VerificationError extends AttestError<
  | 'SIGNATURE_INVALID'
  | 'PAYLOAD_TYPE_MISMATCH'
  | 'SUBJECT_MISMATCH'
  | 'ATTESTATION_MISSING'
  | 'POLICY_FAILED'
> {
  readonly permanent = true;
}

// Usage errors of the CLI (exit 2).
export class UsageError extends AttestError<'USAGE'> {
  readonly permanent = true;
}

// Narrows unknown throwables to our coded errors.
export function isAttestError(err: unknown): err is AttestError {
  return err instanceof AttestError;
}

// One line for logs and CLI output: "CODE: message" (never a stack, never a payload).
export function describeError(err: unknown): string {
  if (isAttestError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `INTERNAL: ${err.message.split('\n')[0]}`;
  return 'INTERNAL: unknown failure';
}
