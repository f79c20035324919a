// Reads SLSA v1.0 statements (Chains v2alpha3/4 and ours): tasks come from `slsa-tekton` pipelineTask contents.
// Field meanings: https://slsa.dev/spec/v1.0/provenance and reference/chains-formats.md §3.
import {
  BUILD_TYPE_SLSA_TEKTON_V1,
  BUILD_TYPE_SLSA_V1,
} from '../core/formats.js';
import { isObj, objAt, str, stringMap, type Obj } from './json.js';
import { classifyRef } from './task-ref.js';
import type { ProvenanceView, TaskView } from './view.js';
import {
  defined,
  paramMap,
  readMaterial,
  readMaterials,
  readSubjects,
  readEventLinks,
  statusOf,
} from './view-parts.js';

// A TaskRun (v1 JSON) as a task of the chain; its refSource is what the controller resolved.
export function taskFromTaskRun(taskRun: Obj): TaskView {
  const meta = objAt(taskRun, 'metadata');
  const labels = stringMap(meta.labels);
  const spec = objAt(taskRun, 'spec');
  const status = objAt(taskRun, 'status');
  const refSource = objAt(objAt(status, 'provenance'), 'refSource');
  const source = readMaterial(refSource);
  return {
    name: labels['tekton.dev/pipelineTask'] ?? str(meta.name) ?? 'taskrun',
    after: [],
    ref:
      spec.taskSpec !== undefined && spec.taskRef === undefined
        ? { type: 'inline' }
        : classifyRef(spec.taskRef),
    ...defined({
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
  taskRuns: (Obj | undefined)[],
  after: Record<string, string[]>
): TaskView[] {
  return taskRuns
    .map((t) => taskFromTaskRun(t ?? {}))
    .map((t) => ({ ...t, after: after[t.name] ?? [] }))
    .sort(byStart);
}

// The view of a v1.0 statement, or a message naming the unknown buildType.
export function readViewV1(
  statement: Obj,
  predicate: Obj
): ProvenanceView | string {
  const def = objAt(predicate, 'buildDefinition');
  const buildType = str(def.buildType) ?? '';
  if (
    buildType !== BUILD_TYPE_SLSA_V1 &&
    buildType !== BUILD_TYPE_SLSA_TEKTON_V1
  )
    return `SLSA v1 buildType ${JSON.stringify(buildType)} is not a Tekton Chains type`;
  const runSpec = objAt(def.externalParameters, 'runSpec');
  const isPipeline =
    runSpec.pipelineRef !== undefined || runSpec.pipelineSpec !== undefined;
  const deps = Array.isArray(def.resolvedDependencies)
    ? def.resolvedDependencies.filter(isObj)
    : [];
  const details = objAt(predicate, 'runDetails');
  const meta = objAt(details, 'metadata');
  const labels = stringMap(objAt(def, 'internalParameters').labels);
  const after = runAfterOf(runSpec);
  const taskRuns = deps
    .filter((d) => d.name === 'pipelineTask')
    .map((d) => decodeTaskRun(d.content));
  const listsTasks =
    buildType === BUILD_TYPE_SLSA_TEKTON_V1 &&
    taskRuns.every((t) => t !== undefined);
  const taskDep = readMaterial(deps.find((d) => d.name === 'task'));
  return {
    format: 'slsa/v1.0',
    kind: isPipeline ? 'PipelineRun' : 'TaskRun',
    predicateType: String(statement.predicateType),
    buildType,
    subjects: readSubjects(statement),
    labels,
    params: paramMap(runSpec.params),
    links: readMaterials(deps),
    eventLinks: readEventLinks(deps),
    ...(isPipeline
      ? listsTasks && { tasks: pipelineTasks(taskRuns, after) }
      : {
          task: taskFromTaskRun({
            metadata: { labels },
            spec: runSpec,
            status: { provenance: { refSource: taskDep ?? {} } },
          }),
        }),
    ...defined({
      builderId: str(objAt(details, 'builder').id),
      invocationId: str(meta.invocationId),
      startedOn: str(meta.startedOn),
      finishedOn: str(meta.finishedOn),
    }),
  };
}
