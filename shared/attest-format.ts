// One format of one run: build its payload, sign it once, store it under every key, create-only.
import { makeEnvelope, preAuthEncoding } from './core/dsse.js';
import type { Format } from './core/formats.js';
import { runKey, subjectKey, type RunIdentity } from './core/layout.js';
import { buildPayload, type Payload } from './core/payloads.js';
import type { BuildOptions, RunInput } from './core/types.js';
import type { Signer } from './signers/signer.js';
import { serialized, type AttestationStore } from './stores/store.js';

// One format's payload and the keys it is stored under.
export interface Planned {
  payload: Payload;
  runKey: string;
  subjectKeys: string[];
}

// Builds one format's payload and its keys (one sha256/… key per distinct sha256 subject).
export function planFormat(
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

// Signs once and writes the sha256/… keys (in parallel, or in one shared write), then the runs/… key last: a
// runs/… object therefore means the whole format is stored, which is what the fast path and reconcile rely on.
export async function storeFormat(
  p: Planned,
  id: RunIdentity,
  deps: { signer: Signer; store: AttestationStore },
  kind: string
) {
  const { payloadType, body, predicateType } = p.payload;
  const sig = await deps.signer.sign(preAuthEncoding(payloadType, body));
  // Serialised once; every key gets these bytes.
  const env = serialized(
    makeEnvelope(payloadType, body, deps.signer.keyId, sig)
  );
  const keys = [...p.subjectKeys, p.runKey];
  if (deps.store.putInOrder) return deps.store.putInOrder(keys, env);
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

// Like Promise.all, but every format finishes (or fails) before we answer: no writes continue in the
// background after a failure is reported (Cloud Functions may freeze the instance after the response).
export async function allSettledOrThrow<T>(
  work: (T | Promise<T>)[]
): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
