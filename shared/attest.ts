// The only orchestration: build each format's payload, sign it once, store it under every key, create-only.
import { makeEnvelope, preAuthEncoding } from './core/dsse.js';
import type { Format } from './core/formats.js';
import {
  runKey,
  runPrefix,
  subjectKey,
  type RunIdentity,
} from './core/layout.js';
import { buildPayload, type Payload } from './core/payloads.js';
import { runIdentity } from './core/tekton.js';
import type { BuildOptions, RunInput } from './core/types.js';
import type { Signer } from './signers/signer.js';
import { serialized, type AttestationStore } from './stores/store.js';
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
}

// Every key of the requested formats; created ∪ existing = keys.
export interface AttestOutcome {
  keys: string[];
  created: string[];
  existing: string[];
}

interface Planned {
  payload: Payload;
  runKey: string;
  subjectKeys: string[];
}

function plan(
  input: RunInput,
  id: RunIdentity,
  format: Format,
  options: BuildOptions
): Planned {
  const payload = buildPayload(input, format, options);
  const hexes = payload.subjects
    .map((s) => s.digest['sha256']?.toLowerCase())
    .filter(
      (hex): hex is string => hex !== undefined && /^[0-9a-f]{64}$/.test(hex)
    );
  const subjectKeys = [...new Set(hexes)].map((hex) =>
    subjectKey(hex, id, format)
  );
  return { payload, runKey: runKey(id, format), subjectKeys };
}

// Signs once and writes the sha256/… keys in parallel, then the runs/… key last: a runs/… object
// therefore means the whole format is stored, which is what the fast path and reconcile rely on.
async function store(
  p: Planned,
  id: RunIdentity,
  deps: AttestDeps,
  kind: string
) {
  const { payloadType, body, predicateType } = p.payload;
  const sig = await deps.signer.sign(preAuthEncoding(payloadType, body));
  // Serialised once; every key gets these bytes.
  const env = serialized(
    makeEnvelope(payloadType, body, deps.signer.keyId, sig)
  );
  const metadata = {
    namespace: id.namespace,
    name: id.name,
    uid: id.uid,
    kind,
    predicateType,
  };
  const put = async (key: string) => ({
    key,
    result: await deps.store.put(key, env, metadata),
  });
  const subjects = await allSettledOrThrow(p.subjectKeys.map(put));
  return [...subjects, await put(p.runKey)];
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

function tally(
  results: { key: string; result: 'created' | 'exists' }[]
): AttestOutcome {
  const outcome: AttestOutcome = { keys: [], created: [], existing: [] };
  for (const { key, result } of results) {
    outcome.keys.push(key);
    (result === 'created' ? outcome.created : outcome.existing).push(key);
  }
  return outcome;
}

// Attests one run in every requested format; formats whose runs/… key exists are not signed again.
// `check`, when given, must be checkRunKeys for this run's identity on deps.store.
export async function attestInput(
  input: RunInput,
  deps: AttestDeps,
  check?: RunKeysCheck
): Promise<AttestOutcome> {
  const id = runIdentity(input.run);
  const options = await withTriggerEvent(input, deps);
  const plans = [...new Set(deps.formats)].map((f) =>
    plan(input, id, f, options)
  );
  const present = new Set((await (check ?? checkRunKeys(deps.store, id)))());
  const results = await allSettledOrThrow(
    plans.map((p) =>
      present.has(p.runKey)
        ? [...p.subjectKeys, p.runKey].map((key) => ({
            key,
            result: 'exists' as const,
          }))
        : store(p, id, deps, input.run.kind)
    )
  );
  const outcome = tally(results.flat());
  deps.log?.('attested', {
    run: runPrefix(id),
    created: outcome.created.length,
    existing: outcome.existing.length,
  });
  return outcome;
}

// Like Promise.all, but every format finishes (or fails) before we answer: no writes continue in the
// background after a failure is reported (Cloud Functions may freeze the instance after the response).
async function allSettledOrThrow<T>(work: (T | Promise<T>)[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
