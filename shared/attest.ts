// The only orchestration: build each format's payload, sign it once, store it under every key, create-only.
import { allSettledOrThrow, planFormat, storeFormat } from './attest-format.js';
import type { Format } from './core/formats.js';
import { runPrefix } from './core/layout.js';
import { unionSubjects } from './core/signal.js';
import { runIdentity } from './core/tekton.js';
import type { BuildOptions, RunInput, Subject } from './core/types.js';
import { publishAttested } from './signal/publish-attested.js';
import type { SignalPublisher } from './signal/publisher.js';
import type { Signer } from './signers/signer.js';
import type { AttestationStore, StoredKey } from './stores/store.js';
import { checkRunKeys, type RunKeysCheck } from './run-keys-check.js';
import { findTriggerEvent, type TriggerLinkOptions } from './trigger-link.js';

export interface AttestDeps {
  signer: Signer;
  store: AttestationStore;
  formats: readonly Format[];
  options: BuildOptions;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  // Trigger-event link (issue 5): looked up from the run's event-id label unless options.triggerEvent is set.
  triggerLink?: TriggerLinkOptions;
  // ATTESTED_TOPIC: the attested signal is published once the run's keys are stored (absent: off).
  publisher?: SignalPublisher;
}

// Every key of the requested formats; created ∪ existing = keys.
export interface AttestOutcome {
  keys: string[];
  created: string[];
  existing: string[];
  // The sha256 subjects of the payloads built (unionSubjects), with or without a publisher.
  subjects: Subject[];
  // This call published the attested signal (false: no publisher, or its marker was already stored).
  signalled: boolean;
}

// The build options with the run's trigger-event link (given, else looked up in the store).
async function withTriggerEvent(
  input: RunInput,
  deps: AttestDeps
): Promise<BuildOptions> {
  const triggerEvent =
    deps.options.triggerEvent ??
    (await findTriggerEvent(
      input.run,
      deps.store,
      deps.triggerLink ?? { embed: false, warn: deps.log }
    ));
  return triggerEvent ? { ...deps.options, triggerEvent } : deps.options;
}

type StoredKeys = Pick<AttestOutcome, 'keys' | 'created' | 'existing'>;

function tally(results: StoredKey[]): StoredKeys {
  const outcome: StoredKeys = { keys: [], created: [], existing: [] };
  for (const { key, result } of results) {
    outcome.keys.push(key);
    (result === 'created' ? outcome.created : outcome.existing).push(key);
  }
  return outcome;
}

// Attests one run in every requested format; formats whose runs/… key exists are not signed again. Then,
// with a publisher, the attested signal goes out unless the run's listed keys show it already did.
// `check`, when given, must be checkRunKeys for this run's identity on deps.store.
export async function attestInput(
  input: RunInput,
  deps: AttestDeps,
  check?: RunKeysCheck
): Promise<AttestOutcome> {
  const id = runIdentity(input.run);
  const options = await withTriggerEvent(input, deps);
  const plans = [...new Set(deps.formats)].map((f) =>
    planFormat(input, id, f, options)
  );
  const present = new Set((await (check ?? checkRunKeys(deps.store, id)))());
  const results = await allSettledOrThrow(
    plans.map((p) =>
      present.has(p.runKey)
        ? [...p.subjectKeys, p.runKey].map((key) => ({
            key,
            result: 'exists' as const,
          }))
        : storeFormat(p, id, deps, input.run.kind)
    )
  );
  const outcome: AttestOutcome = {
    ...tally(results.flat()),
    subjects: unionSubjects(plans.map((p) => p.payload.subjects)),
    signalled: false,
  };
  if (deps.publisher) {
    outcome.signalled = await publishAttested(
      deps.publisher,
      input.run,
      outcome,
      present,
      deps
    );
  }
  deps.log?.('attested', {
    run: runPrefix(id),
    created: outcome.created.length,
    existing: outcome.existing.length,
  });
  return outcome;
}
