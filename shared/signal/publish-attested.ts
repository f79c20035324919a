// The attested signal of one run, published at most once after success: skipped when the run's marker is
// among its listed runs/… keys, and marked only once the publish succeeded.
import type { Format } from '../core/formats.js';
import { signalKey } from '../core/layout.js';
import { buildAttestedSignal, signalMarker } from '../core/signal.js';
import { runIdentity } from '../core/tekton.js';
import type { Subject, TektonRun } from '../core/types.js';
import type { AttestationStore } from '../stores/store.js';
import type { SignalPublisher } from './publisher.js';

// The store the keys are in and the formats they were written for (as attestInput has them).
export interface PublishAttestedDeps {
  store: AttestationStore;
  formats: readonly Format[];
}

// Publishes unless `present` (the run's runs/… keys) holds the marker; true when a message was sent.
// A crash between the publish and the marker gives one more message on the next delivery, never none.
export async function publishAttested(
  publisher: SignalPublisher,
  run: TektonRun,
  stored: { keys: string[]; subjects: Subject[] },
  present: ReadonlySet<string>,
  deps: PublishAttestedDeps
): Promise<boolean> {
  const key = signalKey(runIdentity(run));
  if (present.has(key)) return false;
  const signal = buildAttestedSignal({
    run,
    ...stored,
    formats: deps.formats,
    store: deps.store.location,
  });
  await publisher.publish(signal.data, signal.attributes);
  const { namespace, name, uid } = run.metadata;
  await deps.store.put(key, signalMarker(signal), {
    namespace,
    name,
    uid,
    kind: run.kind,
  });
  return true;
}
