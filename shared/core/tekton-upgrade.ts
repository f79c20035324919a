// v1beta1 → v1 field moves (tektoncd/pipeline v1beta1 ConvertTo) for the fields provenance reads.
import { isObject, type Obj } from './tekton-shape.js';

// v1beta1 `taskRef.bundle` → v1 bundles resolver (pipeline's convertBundleToResolver).
export function upgradeRef(ref: unknown, kind: 'Task' | 'Pipeline'): unknown {
  if (
    !isObject(ref) ||
    typeof ref['bundle'] !== 'string' ||
    ref['bundle'] === ''
  ) {
    return ref;
  }
  const { bundle, name, ...rest } = ref;
  const params = [
    { name: 'bundle', value: bundle },
    { name: 'name', value: typeof name === 'string' ? name : '' },
    { name: 'kind', value: kind },
  ];
  return { ...rest, resolver: 'bundles', params };
}

// Pipeline tasks' and finally tasks' bundle refs as resolver refs.
export function upgradePipelineSpec(spec: unknown): unknown {
  if (!isObject(spec)) return spec;
  const tasks = (list: unknown): unknown =>
    Array.isArray(list)
      ? list.map((t: unknown) =>
          isObject(t) && 'taskRef' in t
            ? { ...t, taskRef: upgradeRef(t['taskRef'], 'Task') }
            : t
        )
      : list;
  const out: Obj = { ...spec };
  if ('tasks' in spec) out['tasks'] = tasks(spec['tasks']);
  if ('finally' in spec) out['finally'] = tasks(spec['finally']);
  return out;
}

// Moves a renamed v1beta1 field to its v1 name unless the v1 field is already there.
export function rename(obj: Obj, from: string, to: string): void {
  if (from in obj && !(to in obj)) obj[to] = obj[from];
  delete obj[from];
}

// results under their v1 name (taskResults/pipelineResults), provenance.configSource as refSource.
export function upgradeStatus(status: Obj, resultsKey: string): Obj {
  const out = { ...status };
  rename(out, resultsKey, 'results');
  if (isObject(out['provenance'])) {
    const provenance = { ...out['provenance'] };
    rename(provenance, 'configSource', 'refSource');
    out['provenance'] = provenance;
  }
  return out;
}
