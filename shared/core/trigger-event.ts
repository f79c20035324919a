// The signed trigger event (TEP-0084 "attested payload"): an in-toto Statement v1 whose subject is the
// SHA-256 of the exact webhook body and whose predicate lets an auditor re-check the event on its own.
import { createHash } from 'node:crypto';
import { EventError } from './errors.js';
import { INTOTO_STATEMENT_V1, TRIGGER_EVENT_PREDICATE_V1 } from './formats.js';
import type { Subject } from './types.js';
import { allowedHeaders } from './event-headers.js';
import {
  fieldTrust,
  type AuthenticatedField,
  type UnauthenticatedField,
} from './trigger-event-trust.js';
import {
  encodeBody,
  parseEventListener,
  type EventBody,
  type EventListenerRef,
} from './trigger-event-fields.js';

// The body and EventListener readers live in trigger-event-fields.ts; callers keep importing them from here.
export {
  decodeEventBody,
  encodeBody,
  parseEventListener,
  type EventBody,
  type EventListenerRef,
} from './trigger-event-fields.js';
export {
  isBodyAuthenticated,
  type AuthenticatedField,
  type UnauthenticatedField,
} from './trigger-event-trust.js';

// How the body was authenticated before it was signed.
export type EventAuthentication =
  | { method: 'github-hmac-sha256'; result: 'verified' }
  | { method: 'none'; result: 'unauthenticated-local' };

// https://tekton.dev/attestations/triggers/event@v1. `authenticated` / `unauthenticated` (trigger-event-trust.ts)
// were added in place: older statements lack them. receivedAt and authentication are the signer's assertions.
export interface TriggerEventPredicate {
  eventId: string;
  triggerId?: string;
  eventListener: EventListenerRef;
  receivedAt: string;
  authentication: EventAuthentication;
  authenticated?: AuthenticatedField[];
  unauthenticated?: UnauthenticatedField[];
  headers: Record<string, string>;
  body: EventBody;
}

// The whole statement as it is signed.
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
      ...fieldTrust(
        input.authentication.result === 'verified',
        input.triggerId !== undefined
      ),
      headers: allowedHeaders(input.headers),
      body: encodeBody(input.body),
    },
  };
  return { body: Buffer.from(JSON.stringify(statement), 'utf8'), statement };
}

// Lower-case hex SHA-256 of the bytes (the subject digest).
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
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
