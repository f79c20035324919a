// Replay markers (CONTRACT §4, deliveries/): the event envelope first signed for a body and for a GitHub
// delivery id, written create-only before events/<id>, so one delivery is never signed under two event ids
// (Triggers makes a fresh event id per request it receives, a replay included). Create-only writes make the
// markers race-safe: of concurrent copies exactly one wins each marker, and only the winner's event is stored.
import { decodePayload } from './core/dsse.js';
import { EventError, WebhookError } from './core/errors.js';
import { TRIGGER_EVENT_PREDICATE_V1 } from './core/formats.js';
import { deliveryBodyKey, deliveryKey } from './core/layout.js';
import { parseTriggerEventStatement } from './core/trigger-event.js';
import type { Envelope } from './core/types.js';
import type { AttestationStore } from './stores/store.js';
import { headerValue } from './webhook-auth.js';

// EVENT_DEDUPE: `body` (default) marks the body digest and the delivery id; `delivery` only the delivery id
// (lets one push through two GitHub webhooks, and lets a header-edited replay through too).
export const DEDUPE_MODES = ['body', 'delivery'] as const;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

// One marker to win, and what to say when another event holds it.
export interface Marker {
  key: string;
  what: string;
}

// The X-GitHub-Delivery value, or undefined when absent (an invalid one is EVENT_MALFORMED).
function deliveryIdOf(headers: Readonly<Record<string, unknown>>) {
  const id = headerValue(headers, 'X-GitHub-Delivery')?.trim();
  if (id === undefined || id === '') return undefined;
  try {
    return { id, key: deliveryKey(id) };
  } catch (err) {
    throw new EventError(
      'EVENT_MALFORMED',
      `expected X-GitHub-Delivery to be a GitHub delivery GUID, got ${JSON.stringify(id.slice(0, 80))}`,
      { cause: err }
    );
  }
}

// The markers of a request, body first: the HMAC covers the body, not the X-GitHub-Delivery header.
export function markersOf(
  mode: DedupeMode,
  headers: Readonly<Record<string, unknown>>,
  hex: string
): Marker[] {
  const delivery = deliveryIdOf(headers);
  if (mode === 'delivery' && delivery === undefined)
    throw new EventError(
      'EVENT_MALFORMED',
      'expected an X-GitHub-Delivery header (EVENT_DEDUPE=delivery), got none'
    );
  const body = { key: deliveryBodyKey(hex), what: `body sha256:${hex}` };
  const id = delivery && { key: delivery.key, what: `delivery ${delivery.id}` };
  return [...(mode === 'body' ? [body] : []), ...(id ? [id] : [])];
}

function markedEventId(envelope: Envelope): string {
  return parseTriggerEventStatement(decodePayload(envelope)).subject[0].name;
}

function replayed(marker: Marker, original: string, eventId: string): never {
  throw new WebhookError(
    'WEBHOOK_REPLAYED',
    `expected a new delivery for event ${eventId}, got ${marker.what}, already signed as event ${original}; nothing signed (GitHub's Redeliver reuses the delivery)`
  );
}

// Before signing: refuses when a marker names another event; an envelope this event already won, if any.
export async function checkMarkers(
  store: Pick<AttestationStore, 'get'>,
  markers: readonly Marker[],
  eventId: string
): Promise<Envelope | undefined> {
  const held = await Promise.all(markers.map((m) => store.get(m.key)));
  let mine: Envelope | undefined;
  held.forEach((envelope, i) => {
    if (envelope === undefined) return;
    const original = markedEventId(envelope);
    if (original !== eventId) replayed(markers[i]!, original, eventId);
    mine ??= envelope;
  });
  return mine;
}

// Creates each marker with envelope, in order; one that exists decides: another event's → refused, this
// event's (a concurrent trigger of the same event) → its envelope is the one stored from then on.
export async function claimMarkers(
  store: Pick<AttestationStore, 'get' | 'put'>,
  markers: readonly Marker[],
  envelope: Envelope,
  eventId: string
): Promise<Envelope> {
  let winner = envelope;
  for (const marker of markers) {
    const metadata = {
      kind: 'delivery',
      eventId,
      predicateType: TRIGGER_EVENT_PREDICATE_V1,
    };
    if ((await store.put(marker.key, winner, metadata)) === 'created') continue;
    const held = (await store.get(marker.key)) ?? winner;
    const original = markedEventId(held);
    if (original !== eventId) replayed(marker, original, eventId);
    winner = held;
  }
  return winner;
}
