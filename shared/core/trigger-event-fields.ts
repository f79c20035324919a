// Trigger-event predicate fields read on their own: the byte-exact body and the EventListener reference.
import { EventError } from './errors.js';

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
export function parseEventListener(input: {
  triggerId?: string;
  eventUrl?: string;
  eventListenerName?: string;
}): EventListenerRef {
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
