// Joins a run to its signed trigger event through the label Triggers puts on every resource it creates.
// https://github.com/tektoncd/triggers/blob/main/pkg/resources/create.go (triggers.tekton.dev/triggers-eventid)
import { decodePayload } from './core/dsse.js';
import { describeError, isAttestError } from './core/errors.js';
import { eventKey } from './core/layout.js';
import { parseTriggerEventStatement } from './core/trigger-event.js';
import type { Envelope, TektonRun, TriggerEventLink } from './core/types.js';
import type { AttestationStore } from './stores/store.js';

export const TRIGGER_EVENT_ID_LABEL = 'triggers.tekton.dev/triggers-eventid';

export interface TriggerLinkOptions {
  // Single-record mode (EMBED_TRIGGER_EVENT): embed the event envelope in the run's statement.
  embed: boolean;
  // Told why a labelled run is attested without the link (the build is never blocked for it).
  warn?:
    ((message: string, fields: Record<string, unknown>) => void) | undefined;
}

function runFields(run: TektonRun): Record<string, unknown> {
  return {
    kind: run.kind,
    namespace: run.metadata.namespace,
    name: run.metadata.name,
    uid: run.metadata.uid,
  };
}

// The link a stored event envelope gives, or why it does not fit (it names another event).
// EventError when its payload is not a trigger-event statement.
function linkFrom(
  envelope: Envelope,
  key: string,
  eventId: string
): TriggerEventLink | string {
  const statement = parseTriggerEventStatement(decodePayload(envelope));
  if (statement.subject[0].name !== eventId) {
    return `${key} names event ${statement.subject[0].name}`;
  }
  return {
    eventId,
    payloadSha256: statement.subject[0].digest['sha256'] ?? '',
    uri: key,
  };
}

// The link for a labelled run, or undefined (no label, or no usable event attestation: warned).
// Store read failures are transient and propagate, so the run is retried rather than stored unlinked.
export async function findTriggerEvent(
  run: TektonRun,
  store: Pick<AttestationStore, 'get'>,
  opts: TriggerLinkOptions
): Promise<TriggerEventLink | undefined> {
  const eventId = run.metadata.labels[TRIGGER_EVENT_ID_LABEL];
  if (eventId === undefined || eventId === '') return undefined;
  const skip = (why: string) => {
    opts.warn?.(`attesting without the trigger-event link: ${why}`, {
      eventId,
      run: runFields(run),
    });
    return undefined;
  };
  let key: string;
  try {
    key = eventKey(eventId);
  } catch (err) {
    return skip(describeError(err));
  }
  try {
    const envelope = await store.get(key);
    if (envelope === undefined) return skip(`no ${key} in the store`);
    const link = linkFrom(envelope, key, eventId);
    if (typeof link === 'string') return skip(link);
    return opts.embed ? { ...link, envelope } : link;
  } catch (err) {
    if (!isAttestError(err) || !err.permanent) throw err;
    return skip(
      `${key} is not a usable trigger-event attestation (${describeError(err)})`
    );
  }
}
