import type { RunInput } from '../core/types.js';
import type { RunKind } from '../core/layout.js';

// Which run an event names; the event body is a doorbell, not a witness.
export interface RunRef {
  kind: RunKind;
  namespace: string;
  name: string;
  uid: string;
}

// Reads the authoritative run (and a PipelineRun's child TaskRuns).
export interface RunSource {
  readonly name: 'kubernetes' | 'event';
  // eventRun is the (already normalised) run carried in the event, used only by the `event` source.
  fetch(ref: RunRef, eventRun?: RunInput['run']): Promise<RunInput>;
}
