// The `tekton` format: the run's status as a signed payload of our own type
// `application/vnd.tekton.run-status+json` (Chains' removed `tekton` format signed `.status` raw).
//
// Shape (keys sorted at every level, so equal inputs give equal bytes):
//   TaskRun:     the TaskRun's `status` object as it came.
//   PipelineRun: {"status": <PipelineRun status>,
//                 "taskRuns": [{"metadata": {"name", "uid", "labels"}, "status": <TaskRun status>}, …]}
//                with every given child TaskRun, ordered by metadata.name, then uid.
import { sortKeys } from './go-json.js';
import type { RunInput, TaskRun } from './types.js';

export interface PipelineRunStatusPayload {
  status: unknown;
  taskRuns: {
    metadata: { name: string; uid: string; labels: Record<string, string> };
    status: unknown;
  }[];
}

// Builds the `tekton` payload object for a run (see the shape above).
export function buildRunStatus(input: RunInput): unknown {
  const { run } = input;
  if (run.kind === 'TaskRun') return sortKeys(run.status ?? {});
  const payload: PipelineRunStatusPayload = {
    status: run.status ?? {},
    taskRuns: [...input.taskRuns].sort(byNameThenUid).map((tr) => ({
      metadata: {
        name: tr.metadata.name,
        uid: tr.metadata.uid,
        labels: tr.metadata.labels ?? {},
      },
      status: tr.status ?? {},
    })),
  };
  return sortKeys(payload);
}

function byNameThenUid(a: TaskRun, b: TaskRun): number {
  return (
    compare(a.metadata.name, b.metadata.name) ||
    compare(a.metadata.uid, b.metadata.uid)
  );
}

function compare(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
