// One run by reference, as attestRun and reconcile both treat it: fetch the authoritative run, refuse it
// while anything is unfinished, then attestInput (which looks up the trigger-event link exactly once).
import { attestInput, type AttestDeps, type AttestOutcome } from './attest.js';
import { IncompleteRunError } from './core/errors.js';
import {
  isRunDone,
  missingOrUnfinishedChildren,
  runIdentity,
} from './core/tekton.js';
import type { RunInput, TektonRun } from './core/types.js';
import type { RunRef, RunSource } from './kube/run-source.js';
import { checkRunKeys } from './run-keys-check.js';
import type { AttestationStore } from './stores/store.js';

export interface AttestRunRefDeps {
  source: RunSource;
  // Signer, store, formats, options and triggerLink. A factory is called only once the run is known complete,
  // so an unfinished run never builds the signing client.
  attest: AttestDeps | (() => Promise<AttestDeps>);
  // With a factory above: the store it will use, so the "already attested" check overlaps the fetch.
  store?: () => Promise<AttestationStore>;
  // Told about each TaskRun offered as a child that is not one (input.ignored), at most MAX_IGNORED_LOGGED.
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

// Ignored TaskRuns logged one by one per run; the rest are counted in one more line.
export const MAX_IGNORED_LOGGED = 20;

// One structured warning per ignored TaskRun (name, uid, reason), capped: anyone can create thousands.
export function logIgnored(
  input: RunInput,
  warn: AttestRunRefDeps['warn']
): void {
  const ignored = input.ignored ?? [];
  if (!warn || ignored.length === 0) return;
  const { kind, metadata } = input.run;
  const { namespace, name, uid } = metadata;
  const run = { kind, namespace, name, uid };
  for (const item of ignored.slice(0, MAX_IGNORED_LOGGED)) {
    const { reason, ...taskRun } = item;
    warn(`ignored a TaskRun that is not a child of the run: ${reason}`, {
      run,
      taskRun,
      reason,
    });
  }
  const more = ignored.length - MAX_IGNORED_LOGGED;
  if (more > 0) {
    warn(`ignored ${more} more TaskRuns that are not children of the run`, {
      run,
      ignored: ignored.length,
    });
  }
}

// Completeness: a run still executing, or a PipelineRun missing a child, is retried, never attested.
export function assertComplete(input: RunInput): void {
  if (!isRunDone(input.run)) {
    throw new IncompleteRunError(
      'RUN_INCOMPLETE',
      `expected ${input.run.metadata.name} to be finished, got a run still executing`
    );
  }
  const missing = missingOrUnfinishedChildren(input);
  if (missing.length > 0) {
    const shown =
      missing.slice(0, 5).join(', ') +
      (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new IncompleteRunError(
      'RUN_INCOMPLETE',
      `expected every child TaskRun present and finished, got missing or unfinished: ${shown}`
    );
  }
}

// Fetches ref (eventRun is used only by the `event` source), checks completeness and attests it; the
// store's "already attested" list runs alongside the fetch, its error surfacing where it did before.
// Throws IncompleteRunError (transient), SourceError, ProvenanceError, SigningError or StorageError.
export async function attestRunRef(
  ref: RunRef,
  deps: AttestRunRefDeps,
  eventRun?: TektonRun
): Promise<AttestOutcome> {
  const store =
    typeof deps.attest === 'function' ? deps.store?.() : deps.attest.store;
  const check = store && checkRunKeys(store, ref);
  try {
    const input = await deps.source.fetch(ref, eventRun);
    logIgnored(input, deps.warn);
    assertComplete(input);
    const attest =
      typeof deps.attest === 'function' ? await deps.attest() : deps.attest;
    const early = sameRun(ref, input) ? check : undefined;
    return await attestInput(input, attest, early);
  } finally {
    // The early list (and store build) finishes before we answer, whatever happened.
    await check;
  }
}

// The run fetched is the one the early check listed (the uid was checked by the source).
function sameRun(ref: RunRef, input: RunInput): boolean {
  const id = runIdentity(input.run);
  return (
    id.kind === ref.kind &&
    id.namespace === ref.namespace &&
    id.name === ref.name &&
    id.uid === ref.uid
  );
}
