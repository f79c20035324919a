// Child TaskRuns of a PipelineRun: which pipeline task each ran for (label `tekton.dev/pipelineTask`, else
// `status.childReferences`), a deterministic order, and the check that they belong to this PipelineRun.
import { ProvenanceError } from './errors.js';
import { isObject } from './tekton-shape.js';
import type {
  PipelineRun,
  PipelineTask,
  RunInput,
  TaskRun,
  TektonRun,
} from './types.js';

export const PIPELINE_TASK_LABEL = 'tekton.dev/pipelineTask';
const PIPELINE_RUN_LABEL = 'tekton.dev/pipelineRun';
const PIPELINE_RUN_UID_LABEL = 'tekton.dev/pipelineRunUID';

// Pipeline tasks in spec order: `tasks`, then `finally`.
export function pipelineTasks(
  run: PipelineRun
): { task: PipelineTask; isFinally: boolean }[] {
  const spec = run.status.pipelineSpec ?? run.spec.pipelineSpec;
  return [
    ...(spec?.tasks ?? []).map((task) => ({ task, isFinally: false })),
    ...(spec?.finally ?? []).map((task) => ({ task, isFinally: true })),
  ];
}

// The pipeline task a TaskRun ran for: its label, else its childReferences entry.
export function pipelineTaskNameOf(
  run: PipelineRun,
  taskRun: TaskRun
): string | undefined {
  const label = taskRun.metadata.labels[PIPELINE_TASK_LABEL];
  if (label !== undefined) return label;
  return (run.status.childReferences ?? []).find(
    (c) => c.name === taskRun.metadata.name
  )?.pipelineTaskName;
}

// The TaskRuns of one pipeline task (matrix fan-out and retries give several), in RunInput order.
export function taskRunsOf(input: RunInput, taskName: string): TaskRun[] {
  if (input.run.kind !== 'PipelineRun') return [];
  const run = input.run;
  return input.taskRuns.filter(
    (tr) => pipelineTaskNameOf(run, tr) === taskName
  );
}

// A TaskRun that finished (Chains leaves out children without completionTime).
export function hasCompleted(taskRun: TaskRun): boolean {
  return typeof taskRun.status.completionTime === 'string';
}

// The PipelineRun a child names as its parent (labels, then ownerReferences), if any other than `run`.
function foreignParent(run: PipelineRun, tr: TaskRun): string | undefined {
  const { name, uid } = run.metadata;
  const labels = tr.metadata.labels;
  const byName = labels[PIPELINE_RUN_LABEL];
  if (byName !== undefined && byName !== name) return `PipelineRun ${byName}`;
  const byUid = labels[PIPELINE_RUN_UID_LABEL];
  if (byUid !== undefined && byUid !== uid) return `PipelineRun uid ${byUid}`;
  const owners = tr.metadata['ownerReferences'];
  for (const owner of Array.isArray(owners) ? owners : []) {
    if (!isObject(owner) || owner['kind'] !== 'PipelineRun') continue;
    if (owner['uid'] !== uid || owner['name'] !== name) {
      return `PipelineRun ${String(owner['name'])}`;
    }
  }
  return tr.metadata.namespace === run.metadata.namespace
    ? undefined
    : `namespace ${tr.metadata.namespace}`;
}

// childReferences position, then name, then uid: a total order that does not depend on input order.
function canonicalOrder(run: PipelineRun, taskRuns: TaskRun[]): TaskRun[] {
  const refs = (run.status.childReferences ?? []).map((c) => c.name);
  const rank = (tr: TaskRun): number => {
    const i = refs.indexOf(tr.metadata.name);
    return i < 0 ? refs.length : i;
  };
  const key = (tr: TaskRun): string =>
    `${tr.metadata.name}\0${tr.metadata.uid}`;
  return [...taskRuns].sort(
    (a, b) =>
      rank(a) - rank(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
  );
}

// A RunInput whose children are TaskRuns of this PipelineRun, de-duplicated by uid, in a canonical order.
export function makeRunInput(
  run: TektonRun,
  taskRuns: readonly TektonRun[]
): RunInput {
  if (run.kind === 'TaskRun') {
    if (taskRuns.length > 0) {
      throw new ProvenanceError(
        'RUN_INVALID',
        `expected no child TaskRuns for TaskRun ${run.metadata.name}, got ${taskRuns.length}`
      );
    }
    return { run, taskRuns: [] };
  }
  const seen = new Map<string, TaskRun>();
  for (const tr of taskRuns) {
    if (tr.kind !== 'TaskRun') continue;
    const other = foreignParent(run, tr);
    if (other !== undefined) {
      throw new ProvenanceError(
        'RUN_INVALID',
        `expected TaskRuns of PipelineRun ${run.metadata.name}, got ${tr.metadata.name} of ${other}`
      );
    }
    seen.set(tr.metadata.uid, tr);
  }
  return { run, taskRuns: canonicalOrder(run, [...seen.values()]) };
}
