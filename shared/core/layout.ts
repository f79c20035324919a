// Store keys of CONTRACT §4; every segment is validated so no name can escape the layout.
import { StorageError } from './errors.js';
import { formatToken, type Format } from './formats.js';

export type RunKind = 'taskrun' | 'pipelinerun';

// Kubernetes names (DNS-1123 subdomain, ≤ 253) and uids; event ids are UUID-like tokens.
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const UID = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
// Event ids start and end alphanumeric, so `event-<id>.dsse.json` can never contain `..`.
const EVENT_ID = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/;
const HEX64 = /^[0-9a-f]{64}$/;

function check(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value) || value.includes('..')) {
    throw new StorageError(
      'STORE_KEY_INVALID',
      `expected a valid ${what}, got ${JSON.stringify(value.slice(0, 80))}`
    );
  }
  return value;
}

export interface RunIdentity {
  kind: RunKind;
  namespace: string;
  name: string;
  uid: string;
}

// sha256/<hex>/<kind>-<uid>.<format-token>.dsse.json
export function subjectKey(
  hex: string,
  run: RunIdentity,
  format: Format
): string {
  return `sha256/${check(hex, HEX64, 'sha256 hex digest')}/${run.kind}-${check(run.uid, UID, 'uid')}.${formatToken(format)}.dsse.json`;
}

// runs/<namespace>/<kind>-<name>-<uid>/<format-token>.dsse.json
export function runKey(run: RunIdentity, format: Format): string {
  return `${runPrefix(run)}${formatToken(format)}.dsse.json`;
}

// runs/<namespace>/<kind>-<name>-<uid>/ (for listing what a run already has).
export function runPrefix(run: RunIdentity): string {
  const ns = check(run.namespace, NAME, 'namespace');
  const name = check(run.name, NAME, 'run name');
  return `runs/${ns}/${run.kind}-${name}-${check(run.uid, UID, 'uid')}/`;
}

// runs/<namespace>/<kind>-<name>-<uid>/attested.signal.json: the unsigned marker of a published signal.
export function signalKey(run: RunIdentity): string {
  return `${runPrefix(run)}attested.signal.json`;
}

// events/<event-id>/event.dsse.json
export function eventKey(eventId: string): string {
  return `events/${check(eventId, EVENT_ID, 'event id')}/event.dsse.json`;
}

// sha256/<payload-hex>/event-<event-id>.dsse.json
export function eventDigestKey(hex: string, eventId: string): string {
  return `sha256/${check(hex, HEX64, 'sha256 hex digest')}/event-${check(eventId, EVENT_ID, 'event id')}.dsse.json`;
}

// deliveries/<delivery-id>.dsse.json: the event envelope first signed for a GitHub delivery (X-GitHub-Delivery).
export function deliveryKey(deliveryId: string): string {
  return `deliveries/${check(deliveryId, EVENT_ID, 'delivery id')}.dsse.json`;
}

// deliveries/sha256/<payload-hex>.dsse.json: the event envelope first signed for these body bytes.
export function deliveryBodyKey(hex: string): string {
  return `deliveries/sha256/${check(hex, HEX64, 'sha256 hex digest')}.dsse.json`;
}

// sha256/<hex>/ (everything stored for one digest).
export function digestPrefix(hex: string): string {
  return `sha256/${check(hex, HEX64, 'sha256 hex digest')}/`;
}

// A key is ours only if it is one of the shapes above, relative and without traversal.
export function isLayoutKey(key: string): boolean {
  return (
    /^(sha256\/[0-9a-f]{64}\/[a-z]+-[A-Za-z0-9._-]+\.dsse\.json|runs\/[a-z0-9.-]+\/[a-z]+-[a-z0-9.-]+\/([a-z0-9.-]+\.dsse|attested\.signal)\.json|events\/[A-Za-z0-9._-]+\/event\.dsse\.json|deliveries\/(sha256\/[0-9a-f]{64}|[A-Za-z0-9._-]+)\.dsse\.json)$/.test(
      key
    ) && !key.includes('..')
  );
}

// sha256/<hex>/vsa-<first 16 hex of the policy digest>.dsse.json: the verification summary of one policy.
export function vsaKey(hex: string, policyHex: string): string {
  const policy = check(policyHex, HEX64, 'policy sha256 hex digest');
  return `${digestPrefix(hex)}vsa-${policy.slice(0, 16)}.dsse.json`;
}

// A VSA key (sha256/<hex>/vsa-…): a summary of provenance, never provenance itself.
export function isVsaKey(key: string): boolean {
  return /^sha256\/[0-9a-f]{64}\/vsa-[0-9a-f]{16}\.dsse\.json$/.test(key);
}
