// Groups the verified statements of one run and renders the run's part of the report.
import type { Format } from '../core/formats.js';
import type { RunReport, TaskReport } from './report.js';
import { describeRef } from './task-ref.js';
import type { ProvenanceView, RunKind, TaskView } from './view.js';

// Every verified statement about one run (one per format).
export interface RunGroup {
  kind: RunKind;
  uid: string;
  views: ProvenanceView[];
  // Every verified format, `tekton` (no statement to read) included.
  formats: Format[];
  // The store keys of the verified attestations.
  keys: string[];
  // Succeeded / Failed / Running, from a verified `tekton` run-status payload.
  status?: string;
}

// The tasks of a run: the first statement that lists them, v0.2 first (it records `after` edges).
export function tasksOf(group: RunGroup): TaskView[] | undefined {
  if (group.kind === 'TaskRun') {
    const task = group.views.find((v) => v.task)?.task;
    return task ? [task] : undefined;
  }
  const order: Format[] = ['slsa/v0.2', 'slsa/v1.0'];
  const listing = [...group.views]
    .filter((v) => v.tasks)
    .sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format));
  return listing[0]?.tasks;
}

// The namespace the verified statements record (our tektonRun facts); undefined for Chains' statements.
export function namespaceOf(group: RunGroup): string | undefined {
  return group.views.map((v) => v.facts?.namespace).find((n) => n);
}

// Succeeded / Failed / Running: our tektonRun facts, else a verified `tekton` run-status attestation.
export function statusOf(group: RunGroup): string | undefined {
  return group.views.map((v) => v.facts?.status).find((s) => s) ?? group.status;
}

function taskReport(
  task: TaskView,
  reason: string | undefined,
  judged: boolean
): TaskReport {
  const source =
    task.source &&
    `${task.source.uri}@${Object.entries(task.source.digest)
      .map(([a, h]) => `${a}:${h}`)
      .join(',')}`;
  return {
    name: task.name,
    after: task.after,
    ref: describeRef(task.ref),
    refType: task.ref.type,
    ...(task.declaredRef && { declaredRef: describeRef(task.declaredRef) }),
    ...(task.status !== undefined && { status: task.status }),
    ...(source !== undefined && { source }),
    ...(task.startedOn !== undefined && { startedOn: task.startedOn }),
    ...(task.finishedOn !== undefined && { finishedOn: task.finishedOn }),
    ...(judged && { trusted: reason === undefined }),
    ...(reason !== undefined && { reason }),
  };
}

// The run as reported; `reasons` holds the trustedTasks verdicts when a policy judged the tasks.
export function runReport(
  group: RunGroup,
  reasons?: Map<TaskView, string | undefined>
): RunReport {
  const first = group.views[0];
  const name =
    first?.facts?.name ??
    first?.labels['tekton.dev/pipeline'] ??
    first?.labels['tekton.dev/pipelineRun'] ??
    first?.labels['tekton.dev/task'];
  const ref = group.views.find((v) => v.ref)?.ref;
  const namespace = first?.facts?.namespace;
  const status =
    group.views.map((v) => v.facts?.status).find((s) => s) ?? group.status;
  return {
    kind: group.kind,
    uid: group.uid,
    formats: group.formats,
    params: first?.params ?? {},
    tasks: (tasksOf(group) ?? []).map((t) =>
      taskReport(t, reasons?.get(t), reasons !== undefined)
    ),
    ...(name !== undefined && { name }),
    ...(namespace !== undefined && { namespace }),
    ...(ref !== undefined && { ref: describeRef(ref) }),
    ...(status !== undefined && { status }),
    ...(first?.builderId !== undefined && { builderId: first.builderId }),
    ...(first?.startedOn !== undefined && { startedOn: first.startedOn }),
    ...(first?.finishedOn !== undefined && { finishedOn: first.finishedOn }),
  };
}
