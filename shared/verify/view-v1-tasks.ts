// The tasks SLSA v1.0 statements describe: `slsa-tekton` pipelineTask contents (whole TaskRuns) or a
// TaskRun's own runSpec. Field meanings: https://slsa.dev/spec/v1.0/provenance and chains-formats.md §3.
import { BUILD_TYPE_SLSA_TEKTON_V1 } from '../core/formats.js';
import { isObj, objAt, str, stringMap, type Obj } from './json.js';
import { classifyRef } from './task-ref.js';
import type { ProvenanceView, TaskView } from './view.js';
import { defined, paramMap, readMaterial, statusOf } from './view-parts.js';

// A TaskRun (v1 JSON) as a task of the chain: what it ran is its own spec, its refSource is what the controller
// resolved; `marks` are our pipelineTask annotations (the controller's task name, the declared ref).
export function taskFromTaskRun(taskRun: Obj, marks: Obj = {}): TaskView {
  const meta = objAt(taskRun, 'metadata');
  const labels = stringMap(meta.labels);
  const spec = objAt(taskRun, 'spec');
  const status = objAt(taskRun, 'status');
  const refSource = objAt(objAt(status, 'provenance'), 'refSource');
  const source = readMaterial(refSource);
  const declared = isObj(marks.declaredRef)
    ? classifyRef(marks.declaredRef)
    : undefined;
  return {
    name:
      str(marks.pipelineTask) ??
      labels['tekton.dev/pipelineTask'] ??
      str(meta.name) ??
      'taskrun',
    after: [],
    ref:
      spec.taskSpec !== undefined && spec.taskRef === undefined
        ? { type: 'inline' }
        : classifyRef(spec.taskRef),
    results: paramMap(status.results),
    ...defined({
      uid: str(meta.uid),
      declaredRef: declared,
      status: statusOf(status.conditions),
      startedOn: str(status.startTime),
      finishedOn: str(status.completionTime),
      source,
    }),
  };
}

// runAfter edges when the statement carries an inline pipelineSpec (pipelineRef runs have none).
function runAfterOf(runSpec: Obj): Record<string, string[]> {
  const spec = objAt(runSpec, 'pipelineSpec');
  const out: Record<string, string[]> = {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const t of [...list(spec.tasks), ...list(spec.finally)]) {
    if (isObj(t) && typeof t.name === 'string' && Array.isArray(t.runAfter))
      out[t.name] = t.runAfter.filter((a) => typeof a === 'string');
  }
  return out;
}

function decodeTaskRun(content: unknown): Obj | undefined {
  if (typeof content !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(content, 'base64').toString('utf8')
    );
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// Execution order: start time, then name (TEP-0084 sorts tasks by when they ran).
export function byStart(a: TaskView, b: TaskView): number {
  return (
    (a.startedOn ?? '').localeCompare(b.startedOn ?? '') ||
    a.name.localeCompare(b.name)
  );
}

function pipelineTasks(
  taskRuns: ({ run: Obj; marks: Obj } | undefined)[],
  after: Record<string, string[]>
): TaskView[] {
  return taskRuns
    .map((t) => taskFromTaskRun(t?.run ?? {}, t?.marks))
    .map((t) => ({ ...t, after: after[t.name] ?? [] }))
    .sort(byStart);
}

// A PipelineRun's tasks are its pipelineTask contents (slsa-tekton, all decodable, else none are listed);
// a TaskRun statement is one task whose refSource is the `task` dependency.
export function tasksOf(
  isPipeline: boolean,
  buildType: string,
  runSpec: Obj,
  deps: Obj[],
  labels: Record<string, string>
): Pick<ProvenanceView, 'tasks' | 'task'> {
  if (!isPipeline) {
    const taskDep = readMaterial(deps.find((d) => d.name === 'task'));
    return {
      task: taskFromTaskRun({
        metadata: { labels },
        spec: runSpec,
        status: { provenance: { refSource: taskDep ?? {} } },
      }),
    };
  }
  const taskRuns = deps
    .filter((d) => d.name === 'pipelineTask')
    .map((d) => {
      const run = decodeTaskRun(d.content);
      return run && { run, marks: objAt(d, 'annotations') };
    });
  const listsTasks =
    buildType === BUILD_TYPE_SLSA_TEKTON_V1 &&
    taskRuns.every((t) => t !== undefined);
  return listsTasks
    ? { tasks: pipelineTasks(taskRuns, runAfterOf(runSpec)) }
    : {};
}
