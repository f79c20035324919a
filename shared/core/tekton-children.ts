// Child TaskRuns of a PipelineRun: only genuine children (tekton-child-check.ts) count, each filed under
// the pipelineTaskName of its childReferences entry, in a deterministic order.
import {
  childTaskRunRefs,
  ignoredTaskRun,
  notAChildReason,
  type IgnoredTaskRun,
} from './tekton-child-check.js';
import { ProvenanceError } from './errors.js';
import type {
  PipelineRun,
  PipelineTask,
  RunInput,
  TaskRun,
  TektonRun,
} from './types.js';

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

// The pipeline task of that name in the spec (`tasks`, then `finally`), without building the whole list.
export function pipelineTaskNamed(
  run: PipelineRun,
  name: string
): PipelineTask | undefined {
  const spec = run.status.pipelineSpec ?? run.spec.pipelineSpec;
  const named = (t: PipelineTask) => t.name === name;
  return spec?.tasks?.find(named) ?? spec?.finally?.find(named);
}

// The pipeline task a genuine child ran for: its childReferences entry's pipelineTaskName (never the
// user-writable tekton.dev/pipelineTask label); undefined for a TaskRun that is not a child of run.
export function pipelineTaskNameOf(
  run: PipelineRun,
  taskRun: TaskRun
): string | undefined {
  const refs = childTaskRunRefs(run);
  if (notAChildReason(run, taskRun, refs) !== undefined) return undefined;
  return refs.get(taskRun.metadata.name)?.pipelineTaskName;
}

// The genuine children of each pipeline task (matrix fan-out and retries give several), in RunInput order;
// one pass, so builders that walk every pipeline task stay linear in the number of TaskRuns.
export function childrenByTask(input: RunInput): Map<string, TaskRun[]> {
  const byTask = new Map<string, TaskRun[]>();
  if (input.run.kind !== 'PipelineRun') return byTask;
  const run = input.run;
  const refs = childTaskRunRefs(run);
  for (const tr of input.taskRuns) {
    const name = refs.get(tr.metadata.name)?.pipelineTaskName;
    if (name === undefined || notAChildReason(run, tr, refs) !== undefined)
      continue;
    byTask.set(name, [...(byTask.get(name) ?? []), tr]);
  }
  return byTask;
}

// The genuine children of one pipeline task, in RunInput order.
export function taskRunsOf(input: RunInput, taskName: string): TaskRun[] {
  return childrenByTask(input).get(taskName) ?? [];
}

// A TaskRun that finished (Chains leaves out children without completionTime).
export function hasCompleted(taskRun: TaskRun): boolean {
  return typeof taskRun.status.completionTime === 'string';
}

// childReferences position, then name, then uid: a total order that does not depend on input order.
function canonicalOrder(run: PipelineRun, taskRuns: TaskRun[]): TaskRun[] {
  const rank = new Map<string, number>();
  (run.status.childReferences ?? []).forEach((c, i) => {
    if (!rank.has(c.name)) rank.set(c.name, i);
  });
  const at = (tr: TaskRun): number => rank.get(tr.metadata.name) ?? rank.size;
  const key = (tr: TaskRun): string =>
    `${tr.metadata.name}\0${tr.metadata.uid}`;
  return [...taskRuns].sort(
    (a, b) => at(a) - at(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
  );
}

// A RunInput whose children are the genuine children among taskRuns, de-duplicated by uid, in a canonical
// order; the others are returned in `ignored` (never an error: any CI user can label a TaskRun).
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
  const refs = childTaskRunRefs(run);
  const seen = new Map<string, TaskRun>();
  const ignored: IgnoredTaskRun[] = [];
  for (const tr of taskRuns) {
    const reason = notAChildReason(run, tr, refs);
    if (reason !== undefined) ignored.push(ignoredTaskRun(tr.metadata, reason));
    else seen.set(tr.metadata.uid, tr as TaskRun);
  }
  return { run, taskRuns: canonicalOrder(run, [...seen.values()]), ignored };
}
