// The signed trigger event (TEP-0084 "attested payload"): an in-toto Statement v1 whose subject is the
// SHA-256 of the exact webhook body and whose predicate lets an auditor re-check the event on its own.
import { createHash } from 'node:crypto';
import { EventError } from './errors.js';
import { INTOTO_STATEMENT_V1, TRIGGER_EVENT_PREDICATE_V1 } from './formats.js';
import type { Subject } from './types.js';
import { allowedHeaders } from './event-headers.js';

// How the body was authenticated before it was signed.
export type EventAuthentication =
  | { method: 'github-hmac-sha256'; result: 'verified' }
  | { method: 'none'; result: 'unauthenticated-local' };

// Where the event entered Tekton: the namespace from trigger_id, the name when it is known.
export interface EventListenerRef {
  namespace?: string;
  name?: string;
  url?: string;
}

// The body byte-exact: UTF-8 text when the bytes round-trip, base64 otherwise.
export interface EventBody {
  encoding: 'utf-8' | 'base64';
  content: string;
}

// https://tekton.dev/attestations/triggers/event@v1
export interface TriggerEventPredicate {
  eventId: string;
  triggerId?: string;
  eventListener: EventListenerRef;
  receivedAt: string;
  authentication: EventAuthentication;
  headers: Record<string, string>;
  body: EventBody;
}

export interface TriggerEventStatement {
  _type: typeof INTOTO_STATEMENT_V1;
  subject: [Subject];
  predicateType: typeof TRIGGER_EVENT_PREDICATE_V1;
  predicate: TriggerEventPredicate;
}

// Plain values only: the interceptor request already parsed, the receive time passed in.
export interface TriggerEventInput {
  eventId: string;
  body: Buffer;
  headers: Readonly<Record<string, unknown>>;
  receivedAt: Date;
  authentication: EventAuthentication;
  triggerId?: string;
  eventUrl?: string;
  eventListenerName?: string;
}

// Builds the statement and its exact payload bytes (compact JSON, fixed key order).
export function buildTriggerEventStatement(input: TriggerEventInput): {
  body: Buffer;
  statement: TriggerEventStatement;
} {
  const statement: TriggerEventStatement = {
    _type: INTOTO_STATEMENT_V1,
    subject: [
      { name: input.eventId, digest: { sha256: sha256Hex(input.body) } },
    ],
    predicateType: TRIGGER_EVENT_PREDICATE_V1,
    predicate: {
      eventId: input.eventId,
      ...(input.triggerId === undefined ? {} : { triggerId: input.triggerId }),
      eventListener: parseEventListener(input),
      receivedAt: input.receivedAt.toISOString(),
      authentication: input.authentication,
      headers: allowedHeaders(input.headers),
      body: encodeBody(input.body),
    },
  };
  return { body: Buffer.from(JSON.stringify(statement), 'utf8'), statement };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// UTF-8 only when decoding and re-encoding gives the same bytes (no U+FFFD substitution).
export function encodeBody(bytes: Buffer): EventBody {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes)
    ? { encoding: 'utf-8', content: text }
    : { encoding: 'base64', content: bytes.toString('base64') };
}

// The exact body bytes back from a predicate, so the subject digest can be recomputed.
export function decodeEventBody(body: EventBody): Buffer {
  if (body.encoding === 'utf-8') return Buffer.from(body.content, 'utf8');
  if (body.encoding === 'base64') return Buffer.from(body.content, 'base64');
  throw new EventError(
    'EVENT_MALFORMED',
    `expected body encoding utf-8 or base64, got ${JSON.stringify(body.encoding)}`
  );
}

// trigger_id is namespaces/<ns>/triggers/<name> (or triggerGroups); an EventListener's Service is
// el-<name>.<ns>.svc, so an absolute event_url names it too.
export function parseEventListener(
  input: Pick<TriggerEventInput, 'triggerId' | 'eventUrl' | 'eventListenerName'>
): EventListenerRef {
  const ref: EventListenerRef = {};
  const ns = /^namespaces\/([^/]+)\/(?:triggers|triggerGroups)\/[^/]+$/.exec(
    input.triggerId ?? ''
  )?.[1];
  if (ns !== undefined) ref.namespace = ns;
  const host = /^https?:\/\/el-([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:[.:/]|$)/.exec(
    input.eventUrl ?? ''
  );
  if (host?.[1] !== undefined) ref.name = host[1];
  if (ref.namespace === undefined && host?.[2] !== undefined) {
    ref.namespace = host[2];
  }
  if (input.eventListenerName !== undefined) ref.name = input.eventListenerName;
  if (input.eventUrl !== undefined) ref.url = input.eventUrl;
  return ref;
}

// Parses a stored trigger-event payload; EventError when it is not one of ours or its subject is unusable.
export function parseTriggerEventStatement(
  payload: Buffer
): TriggerEventStatement {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new EventError(
      'EVENT_MALFORMED',
      'expected a JSON trigger-event statement, got invalid JSON',
      { cause: err }
    );
  }
  const s = value as Partial<TriggerEventStatement> | null;
  const hex = s?.subject?.[0]?.digest?.['sha256'];
  if (
    s?._type !== INTOTO_STATEMENT_V1 ||
    s.predicateType !== TRIGGER_EVENT_PREDICATE_V1 ||
    s.subject?.length !== 1 ||
    typeof hex !== 'string' ||
    !/^[0-9a-f]{64}$/.test(hex)
  ) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected an in-toto v1 statement of ${TRIGGER_EVENT_PREDICATE_V1} with one sha256 subject, got something else`
    );
  }
  return s as TriggerEventStatement;
}
