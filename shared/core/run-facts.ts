// What `verify` needs to judge a run that Chains' layouts do not carry, all written by the Tekton controller:
// the namespace, the Succeeded status, the run's own ref, and children that are not TaskRuns. Recorded as
// `tektonRun` (v0.2 buildConfig, v1.0 internalParameters) and as per-task disagreements with the pipeline spec.
import { canonicalJson } from './go-json.js';
import { pipelineTaskNamed } from './tekton-children.js';
import type { Ref, TaskRun, TektonRun } from './types.js';

// A child the statement cannot describe as a task (a CustomRun, a nested PipelineRun, an unknown kind).
export interface OtherChild {
  kind: string;
  name: string;
  pipelineTaskName: string;
}

// The `tektonRun` object; absent members were not set on the run.
export interface TektonRunFacts {
  name: string;
  namespace?: string;
  status?: 'Succeeded' | 'Failed' | 'Running';
  // The run's own taskRef / pipelineRef; `{}` for an inline taskSpec / pipelineSpec.
  ref?: Ref;
  otherChildren?: OtherChild[];
}

// Tekton's Succeeded condition (by type, not position), as Chains names the states.
export function succeededStatus(run: TektonRun): TektonRunFacts['status'] {
  const c = run.status.conditions?.find((x) => x.type === 'Succeeded');
  if (!c) return undefined;
  return c.status === 'True'
    ? 'Succeeded'
    : c.status === 'False'
      ? 'Failed'
      : 'Running';
}

function ownRef(run: TektonRun): Ref | undefined {
  const ref = run.kind === 'TaskRun' ? run.spec.taskRef : run.spec.pipelineRef;
  const spec =
    run.kind === 'TaskRun' ? run.spec.taskSpec : run.spec.pipelineSpec;
  return ref ?? (spec === undefined ? undefined : {});
}

function otherChildren(run: TektonRun): OtherChild[] {
  if (run.kind !== 'PipelineRun') return [];
  return (run.status.childReferences ?? [])
    .filter((c) => c.kind !== 'TaskRun')
    .map((c) => ({
      kind: String(c.kind),
      name: String(c.name),
      pipelineTaskName: String(c.pipelineTaskName),
    }));
}

// The facts of one run, as recorded under `tektonRun`.
export function tektonRunFacts(run: TektonRun): TektonRunFacts {
  const facts: TektonRunFacts = { name: run.metadata.name };
  if (run.metadata.namespace) facts.namespace = run.metadata.namespace;
  const status = succeededStatus(run);
  if (status) facts.status = status;
  const ref = ownRef(run);
  if (ref) facts.ref = ref;
  const others = otherChildren(run);
  if (others.length > 0) facts.otherChildren = others;
  return facts;
}

// The comparable part of a ref: what selects the definition (kind defaults to Task, apiVersion ignored).
function refKey(ref: Ref | undefined, inline: boolean): unknown {
  if (!ref) return inline ? 'inline' : 'none';
  const params = [...(ref.params ?? [])]
    .map((p) => [p.name, p.value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    name: ref.name ?? '',
    kind: (ref.kind ?? 'Task').toLowerCase(),
    bundle: ref.bundle ?? '',
    resolver: ref.resolver ?? '',
    params,
  };
}

// `$(params.x)` in the stored pipeline spec is substituted only in the TaskRun: a placeholder matches anything.
function sameRef(spec: unknown, ran: unknown): boolean {
  if (typeof spec === 'string' && spec.includes('$(')) return true;
  if (Array.isArray(spec) && Array.isArray(ran))
    return (
      spec.length === ran.length &&
      spec.every((v: unknown, i) => sameRef(v, ran[i]))
    );
  if (spec && ran && typeof spec === 'object' && typeof ran === 'object') {
    const a = spec as Record<string, unknown>;
    const b = ran as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameRef(a[k], b[k]));
  }
  return canonicalJson(spec) === canonicalJson(ran);
}

// The TaskRun's own ref when it differs from its pipeline task's ref in the pipeline spec, else undefined.
export function taskRunRefMismatch(
  run: TektonRun,
  taskName: string,
  tr: TaskRun
): Ref | undefined {
  if (run.kind !== 'PipelineRun') return undefined;
  const task = pipelineTaskNamed(run, taskName);
  const ran = refKey(tr.spec.taskRef, tr.spec.taskSpec !== undefined);
  const declared = refKey(task?.taskRef, task?.taskSpec !== undefined);
  if (task && sameRef(declared, ran)) return undefined;
  return tr.spec.taskRef ?? {};
}
