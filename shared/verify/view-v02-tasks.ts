// The tasks SLSA v0.2 statements describe: PipelineRun `buildConfig.tasks[]` entries and a TaskRun's own task.
// Field meanings: https://slsa.dev/spec/v0.2/provenance and reference/chains-formats.md §2.
import { objAt, str, type Obj } from './json.js';
import { classifyRef, type TaskRefInfo } from './task-ref.js';
import type { Material, TaskView } from './view.js';
import { defined, paramMap, readMaterial } from './view-parts.js';

// One buildConfig.tasks[] entry: `ref` is the PipelineTask taskRef ({} when inline) unless our `taskRunRef`
// records that the TaskRun ran something else; then that is what is judged.
export function readTask(t: Obj, index: number): TaskView {
  const invocation = objAt(t, 'invocation');
  const source = readMaterial(invocation.configSource);
  const declared = classifyRef(t.ref);
  const ran =
    t.taskRunRef === undefined ? undefined : classifyRef(t.taskRunRef);
  return {
    name: str(t.name) ?? `task-${index}`,
    after: Array.isArray(t.after)
      ? t.after.filter((a) => typeof a === 'string')
      : [],
    ref: ran ?? declared,
    results: paramMap(t.results),
    ...defined({
      declaredRef: ran && declared,
      status: str(t.status),
      startedOn: str(t.startedOn),
      finishedOn: str(t.finishedOn),
      source,
    }),
  };
}

// A Chains v0.2 TaskRun statement has no `ref`: only the refSource (configSource) says what ran. Labels are
// user-writable, so without a refSource the task cannot be judged.
function refFromSource(source: Material | undefined): TaskRefInfo {
  const entryPoint = source?.entryPoint;
  if (source?.uri.startsWith('git+')) {
    return {
      type: 'git',
      url: source.uri,
      ...defined({ path: entryPoint, revision: source.digest.sha1 }),
    };
  }
  if (source && source.digest.sha256 && /^[^/]+\.[^/]+\//.test(source.uri)) {
    return classifyRef({
      bundle: `${source.uri}@sha256:${source.digest.sha256}`,
    });
  }
  return source
    ? { type: 'other', resolver: source.uri }
    : { type: 'other', resolver: 'unrecorded (no ref, no refSource)' };
}

// The one task of a v0.2 TaskRun statement, named (for display) by its pipelineTask or task label; what it ran
// is our recorded tektonRun.ref, else its refSource.
export function readTaskRunTask(
  predicate: Obj,
  labels: Record<string, string>,
  ref: TaskRefInfo | undefined
): TaskView {
  const source = readMaterial(objAt(predicate, 'invocation').configSource);
  const meta = objAt(predicate, 'metadata');
  return {
    name:
      labels['tekton.dev/pipelineTask'] ??
      labels['tekton.dev/task'] ??
      'taskrun',
    after: [],
    ref: ref ?? refFromSource(source),
    results: {},
    ...defined({
      startedOn: str(meta.buildStartedOn),
      finishedOn: str(meta.buildFinishedOn),
      source,
    }),
  };
}
