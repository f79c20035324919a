// Authenticates a Triggers event, checks its type, signs its trigger-event statement and stores it once per
// event id and once per delivery (deliveries/… markers, then events/<id>/event.dsse.json, then
// sha256/<payload-hex>/event-<id>.dsse.json, all the same envelope).
import { decodePayload, makeEnvelope, preAuthEncoding } from './core/dsse.js';
import { EventError } from './core/errors.js';
import { checkEventType, DEFAULT_EVENT_TYPES } from './core/event-types.js';
import {
  INTOTO_PAYLOAD_TYPE,
  TRIGGER_EVENT_PREDICATE_V1,
} from './core/formats.js';
import type {
  EventProvenance,
  InterceptorRequest,
} from './core/interceptor.js';
import { eventDigestKey, eventKey } from './core/layout.js';
import {
  buildTriggerEventStatement,
  parseTriggerEventStatement,
  sha256Hex,
} from './core/trigger-event.js';
import type { Envelope } from './core/types.js';
import type { Signer } from './signers/signer.js';
import type { AttestationStore, ObjectMetadata } from './stores/store.js';
import { checkLayoutKey } from './stores/store-keys.js';
import {
  checkMarkers,
  claimMarkers,
  markersOf,
  type DedupeMode,
} from './event-dedupe.js';
import {
  authenticateWebhook,
  headerValue,
  type WebhookAuthSettings,
} from './webhook-auth.js';
import type { EventAuthentication } from './core/trigger-event.js';

// Signer and store are resolved lazily so a cold start pays for KMS/GCS only when an event arrives.
export interface SignEventDeps extends WebhookAuthSettings {
  signer: () => Promise<Signer>;
  store: () => Promise<AttestationStore>;
  now: () => Date;
  // EVENT_TYPES (X-GitHub-Event values, or `tag`); default push, pull_request, release, tag.
  eventTypes?: readonly string[];
  // EVENT_DEDUPE; default `body`.
  dedupe?: DedupeMode;
}

// What was done for one request: the provenance extension and whether this call wrote the envelope.
export interface SignEventOutcome extends EventProvenance {
  created: boolean;
}

// Authenticate first (nothing is read or signed for a forged body), then check the type, then reuse the
// event's attestation or sign one, which only the winner of the delivery markers stores.
export async function signTriggerEvent(
  request: InterceptorRequest,
  deps: SignEventDeps
): Promise<SignEventOutcome> {
  const body = Buffer.from(request.body, 'utf8');
  const authentication = await authenticateWebhook(body, request.header, deps);
  checkEventType(
    deps.eventTypes ?? DEFAULT_EVENT_TYPES,
    headerValue(request.header, 'X-GitHub-Event'),
    () => parseJson(body)
  );
  const { eventId } = request.context;
  const hex = sha256Hex(body);
  const key = eventKey(eventId);
  // Every key is checked before anything is written (an id like `abc.` passes one and not the other).
  const digestKey = checkLayoutKey(eventDigestKey(hex, eventId));
  const markers = markersOf(deps.dedupe ?? 'body', request.header, hex);
  const store = await deps.store();
  let envelope = await store.get(key);
  let created = false;
  if (envelope === undefined) {
    const won =
      (await checkMarkers(store, markers, eventId)) ??
      (await signStatement(request, body, authentication, deps));
    envelope = await claimMarkers(store, markers, won, eventId);
    checkSameBody(envelope, hex, eventId);
    created =
      (await store.put(key, envelope, metadataOf(eventId))) === 'created';
    envelope = created ? envelope : ((await store.get(key)) ?? envelope);
  }
  checkSameBody(envelope, hex, eventId);
  // Create-only, and always the envelope that won events/<id>: both keys hold the same bytes.
  await store.put(digestKey, envelope, metadataOf(eventId));
  return { eventId, eventDigest: `sha256:${hex}`, attestation: key, created };
}

async function signStatement(
  request: InterceptorRequest,
  body: Buffer,
  authentication: EventAuthentication,
  deps: SignEventDeps
): Promise<Envelope> {
  const { body: payload } = buildTriggerEventStatement({
    ...request.context,
    body,
    headers: request.header,
    receivedAt: deps.now(),
    authentication,
    ...eventListenerParam(request.interceptorParams),
  });
  return signPayload(payload, await deps.signer());
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function signPayload(payload: Buffer, signer: Signer): Promise<Envelope> {
  const sig = await signer.sign(preAuthEncoding(INTOTO_PAYLOAD_TYPE, payload));
  return makeEnvelope(INTOTO_PAYLOAD_TYPE, payload, signer.keyId, sig);
}

// One event id never names two payloads (Triggers makes a fresh UUID per delivery).
function checkSameBody(envelope: Envelope, hex: string, eventId: string) {
  const stored = parseTriggerEventStatement(decodePayload(envelope)).subject[0]
    .digest['sha256'];
  if (stored !== hex) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected event ${eventId} to carry the payload already attested (sha256:${stored}), got sha256:${hex}`
    );
  }
}

// An optional `eventListener` interceptor param names the EventListener (Triggers does not send it).
function eventListenerParam(params: Record<string, unknown>) {
  const name = params['eventListener'];
  return typeof name === 'string' &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)
    ? { eventListenerName: name }
    : {};
}

function metadataOf(eventId: string): ObjectMetadata {
  return { kind: 'event', eventId, predicateType: TRIGGER_EVENT_PREDICATE_V1 };
}
