// The Tekton Triggers interceptor contract (triggers.tekton.dev/v1beta1 InterceptorRequest/Response):
// https://github.com/tektoncd/triggers/blob/main/pkg/apis/triggers/v1beta1/interceptor_types.go
import { EventError, isAttestError, WebhookError } from './errors.js';
import { describeError } from './errors.js';
import { eventKey } from './layout.js';

// The request after shape checks; the body string's UTF-8 bytes are the webhook's exact bytes.
export interface InterceptorRequest {
  body: string;
  header: Record<string, unknown>;
  interceptorParams: Record<string, unknown>;
  context: { eventId: string; triggerId?: string; eventUrl?: string };
}

// What TriggerBindings read as $(extensions.provenance.*).
export interface EventProvenance {
  eventId: string;
  eventDigest: string;
  attestation: string;
}

// Always sent with HTTP 200; status.code is a gRPC code (0 OK, 3, 9, 14).
export interface InterceptorResponse {
  continue: boolean;
  status: { code: number; message: string };
  extensions?: { provenance: EventProvenance };
}

export const GRPC_OK = 0;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_FAILED_PRECONDITION = 9;
export const GRPC_UNAVAILABLE = 14;

function malformed(expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : typeof got;
  throw new EventError(
    'EVENT_MALFORMED',
    `expected an InterceptorRequest with ${expected}, got ${shown}`
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : malformed(what, value);
}

function parseContext(value: unknown): InterceptorRequest['context'] {
  if (!isObject(value)) malformed('a context object', value);
  const eventId = value['event_id'];
  if (typeof eventId !== 'string') malformed('context.event_id', eventId);
  try {
    eventKey(eventId);
  } catch (err) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected context.event_id to be a Triggers event id, got ${JSON.stringify(eventId.slice(0, 80))}`,
      { cause: err }
    );
  }
  const triggerId = optionalString(value['trigger_id'], 'context.trigger_id');
  const eventUrl = optionalString(value['event_url'], 'context.event_url');
  return {
    eventId,
    ...(triggerId === undefined ? {} : { triggerId }),
    ...(eventUrl === undefined ? {} : { eventUrl }),
  };
}

// Checks the shape Triggers sends (body omitted when empty; header values are string arrays).
export function parseInterceptorRequest(
  value: unknown,
  maxBodyBytes: number
): InterceptorRequest {
  if (!isObject(value)) malformed('a JSON object body', value);
  const body = value['body'] ?? '';
  if (typeof body !== 'string') malformed('a string body', body);
  const size = Buffer.byteLength(body, 'utf8');
  if (size > maxBodyBytes) {
    throw new EventError(
      'EVENT_TOO_LARGE',
      `expected a webhook body of at most ${maxBodyBytes} bytes, got ${size}`
    );
  }
  const header = value['header'] ?? {};
  if (!isObject(header)) malformed('a header object', header);
  const params = value['interceptor_params'] ?? {};
  if (!isObject(params)) malformed('an interceptor_params object', params);
  return {
    body,
    header,
    interceptorParams: params,
    context: parseContext(value['context']),
  };
}

// The response that lets the trigger continue, carrying the provenance extension.
export function interceptorSuccess(
  provenance: EventProvenance
): InterceptorResponse {
  return {
    continue: true,
    status: { code: GRPC_OK, message: `event ${provenance.eventId} signed` },
    extensions: { provenance },
  };
}

// Bad shapes → 3, failed authentication or setup → 9, anything transient or unknown → 14.
export function interceptorFailure(err: unknown): InterceptorResponse {
  return {
    continue: false,
    status: { code: grpcCodeOf(err), message: describeError(err) },
  };
}

function grpcCodeOf(err: unknown): number {
  if (err instanceof EventError) return GRPC_INVALID_ARGUMENT;
  if (err instanceof WebhookError) return GRPC_FAILED_PRECONDITION;
  if (isAttestError(err) && err.permanent) return GRPC_FAILED_PRECONDITION;
  return GRPC_UNAVAILABLE;
}
