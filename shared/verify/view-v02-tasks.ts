// The tasks SLSA v0.2 statements describe: PipelineRun `buildConfig.tasks[]` entries and a TaskRun's own task.
// Field meanings: https://slsa.dev/spec/v0.2/provenance and reference/chains-formats.md §2.
import { objAt, str, type Obj } from './json.js';
import { classifyRef, type TaskRefInfo } from './task-ref.js';
import type { Material, TaskView } from './view.js';
import { defined, readMaterial } from './view-parts.js';

// One buildConfig.tasks[] entry; `ref` is the PipelineTask taskRef ({} when inline).
export function readTask(t: Obj, index: number): TaskView {
  const invocation = objAt(t, 'invocation');
  const source = readMaterial(invocation.configSource);
  return {
    name: str(t.name) ?? `task-${index}`,
    after: Array.isArray(t.after)
      ? t.after.filter((a) => typeof a === 'string')
      : [],
    ref: classifyRef(t.ref),
    ...defined({
      status: str(t.status),
      startedOn: str(t.startedOn),
      finishedOn: str(t.finishedOn),
      source,
    }),
  };
}

// A v0.2 TaskRun statement has no `ref`: the refSource (configSource) or the tekton.dev/task label says what ran.
function refFromSource(
  source: Material | undefined,
  labels: Record<string, string>
): TaskRefInfo {
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
  const task = labels['tekton.dev/clusterTask'] ?? labels['tekton.dev/task'];
  if (!source && task)
    return {
      type: 'cluster',
      name: task,
      kind: labels['tekton.dev/clusterTask'] ? 'ClusterTask' : 'Task',
    };
  return source ? { type: 'other', resolver: source.uri } : { type: 'inline' };
}

// The one task of a v0.2 TaskRun statement, named by its pipelineTask or task label.
export function readTaskRunTask(
  predicate: Obj,
  labels: Record<string, string>
): TaskView {
  const source = readMaterial(objAt(predicate, 'invocation').configSource);
  const meta = objAt(predicate, 'metadata');
  return {
    name:
      labels['tekton.dev/pipelineTask'] ??
      labels['tekton.dev/task'] ??
      'taskrun',
    after: [],
    ref: refFromSource(source, labels),
    ...defined({
      startedOn: str(meta.buildStartedOn),
      finishedOn: str(meta.buildFinishedOn),
      source,
    }),
  };
}
