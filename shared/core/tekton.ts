// The Tekton model's entry points: run objects (v1/v1beta1/CloudEvent payload) into the v1 model of types.ts,
// child TaskRun lists, and the run facts attestation depends on (text documents: tekton-documents.ts).
import type { RunIdentity } from './layout.js';
import { childTaskRunRefs, notAChildReason } from './tekton-child-check.js';
import type { RunInput, TektonRun } from './types.js';

export { normaliseRun, type RunKind } from './tekton-normalise.js';
export {
  childTaskRunRefs,
  IGNORED_CHILD_REASONS,
  ignoredTaskRun,
  isOwnedBy,
  notAChildReason,
  type IgnoredChildReason,
  type IgnoredTaskRun,
} from './tekton-child-check.js';
export {
  hasCompleted,
  makeRunInput,
  pipelineTaskNameOf,
  pipelineTasks,
  taskRunsOf,
} from './tekton-children.js';

// The store identity of a run (layout.ts).
export function runIdentity(run: TektonRun): RunIdentity {
  const { namespace, name, uid } = run.metadata;
  return {
    kind: run.kind === 'TaskRun' ? 'taskrun' : 'pipelinerun',
    namespace,
    name,
    uid,
  };
}

// Finished: the Succeeded condition is True or False (Unknown or absent means still running).
export function isRunDone(run: TektonRun): boolean {
  const succeeded = (run.status.conditions ?? []).find(
    (c) => c.type === 'Succeeded'
  );
  return succeeded?.status === 'True' || succeeded?.status === 'False';
}

// Names of the PipelineRun's childReferences of kind TaskRun without a finished genuine child in input.
// CustomRun and nested PipelineRun entries are never fetched, so they are never waited for.
export function missingOrUnfinishedChildren(input: RunInput): string[] {
  const { run } = input;
  if (run.kind !== 'PipelineRun') return [];
  const refs = childTaskRunRefs(run);
  const done = new Set(
    input.taskRuns
      .filter((tr) => notAChildReason(run, tr, refs) === undefined)
      .filter(isRunDone)
      .map((tr) => tr.metadata.name)
  );
  return [...refs.keys()].filter((name) => !done.has(name));
}
