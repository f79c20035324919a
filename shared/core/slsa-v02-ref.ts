// `ref` and `status` of a TEP-0084 task entry.
import type { PipelineTask, Ref, TaskRun } from './types.js';

type Entry = Record<string, unknown>;

// Status from the first condition, as tkn and Chains print it.
export function statusOf(tr: TaskRun): string | undefined {
  const s = tr.status.conditions?.[0]?.status;
  return s === 'True'
    ? 'Succeeded'
    : s === 'False'
      ? 'Failed'
      : s === 'Unknown'
        ? 'Running'
        : undefined;
}

function param(ref: Ref, name: string): string | undefined {
  const value = ref.params?.find((p) => p.name === name)?.value;
  return typeof value === 'string' ? value : undefined;
}

// The pipeline task's taskRef; a bundles-resolver ref also gets `bundle` (and name/kind if missing).
export function refOf(task: PipelineTask): Entry {
  const ref = task.taskRef ?? {};
  const out: Entry = {};
  for (const key of [
    'name',
    'kind',
    'apiVersion',
    'bundle',
    'resolver',
  ] as const) {
    if (typeof ref[key] === 'string' && ref[key] !== '') out[key] = ref[key];
  }
  if (ref.params && ref.params.length > 0) out['params'] = ref.params;
  if (ref.resolver === 'bundles') {
    const bundle = param(ref, 'bundle');
    if (bundle) out['bundle'] = bundle;
    out['name'] ??= param(ref, 'name');
    out['kind'] ??= param(ref, 'kind');
  }
  return Object.fromEntries(
    Object.entries(out).filter(([, v]) => v !== undefined)
  );
}
