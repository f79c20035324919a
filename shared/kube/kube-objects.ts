// What the API server returns, read defensively: a GET that may find nothing, runs normalised into the
// model, and the bare identity of an object that is not a readable run.
import { isAttestError, ProvenanceError } from '../core/errors.js';
import { isObject } from '../core/tekton-shape.js';
import { normaliseRun } from '../core/tekton.js';
import type { TektonRun } from '../core/types.js';
import { callKube, kubeStatusOf } from './kube-call.js';
import type { KubeApi, KubeRunSourceOptions } from './kube-run-source.js';

// One object of tekton.dev/v1 to GET by name.
export interface ObjectRef {
  namespace: string;
  plural: 'taskruns' | 'pipelineruns';
  name: string;
}

// The object, or undefined on 404; any other failure is SourceError KUBE_UNAVAILABLE.
export async function getObject(
  api: KubeApi,
  opts: KubeRunSourceOptions,
  ref: ObjectRef,
  what: string
): Promise<unknown> {
  try {
    return await callKube(opts, what, (options) =>
      api.getNamespacedCustomObject(
        { group: 'tekton.dev', version: 'v1', ...ref },
        options
      )
    );
  } catch (err) {
    if (kubeStatusOf((err as Error).cause) === 404) return undefined;
    throw err;
  }
}

// metadata.{name, namespace, uid} as strings ('' when absent or not a string).
export function identityOf(obj: unknown): {
  name: string;
  namespace: string;
  uid: string;
} {
  const meta = isObject(obj) ? obj['metadata'] : undefined;
  const text = (key: string): string => {
    const value = isObject(meta) ? meta[key] : undefined;
    return typeof value === 'string' ? value : '';
  };
  return { name: text('name'), namespace: text('namespace'), uid: text('uid') };
}

// The object's metadata as stored (for ownerReferences checks before it is normalised).
export function metadataOf(obj: unknown): unknown {
  return isObject(obj) ? obj['metadata'] : undefined;
}

// What the API server returned must be a run; a malformed object is not attestable (422), not a bad
// request. The message names the problem for the log; the public answer never shows it.
export function asRun<K extends TektonRun['kind']>(
  obj: unknown,
  kind: K,
  what: string
): Extract<TektonRun, { kind: K }> {
  try {
    return normaliseRun(obj, kind) as Extract<TektonRun, { kind: K }>;
  } catch (err) {
    if (isAttestError(err) && !err.permanent) throw err;
    throw new ProvenanceError(
      'RUN_INVALID',
      `expected ${what} to be a valid ${kind}, got ${isAttestError(err) ? err.message : 'an unreadable object'}`,
      { cause: err }
    );
  }
}
