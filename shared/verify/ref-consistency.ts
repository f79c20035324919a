// TASK_REF_MISMATCH: a task is judged by what its TaskRun ran, so the recorded refs must agree — the TaskRun's
// own ref with the pipeline spec's, and the ref with the refSource the controller resolved it to.
import {
  describeRef,
  normaliseGitUrl,
  normaliseRepository,
  type TaskRefInfo,
} from './task-ref.js';
import type { Material } from './view.js';

// Why the recorded refs of a task (or pipeline) disagree, or undefined when they agree.
export function refMismatchReason(task: {
  ref: TaskRefInfo;
  source?: Material;
  declaredRef?: TaskRefInfo;
}): string | undefined {
  const { ref, source } = task;
  if (task.declaredRef)
    return `the TaskRun ran ${describeRef(ref)}, the pipeline declares ${describeRef(task.declaredRef)}`;
  if (!source) return undefined;
  const resolved = `resolved from ${source.uri}${source.entryPoint ? ` (${source.entryPoint})` : ''}`;
  if (ref.type === 'bundle') {
    const repo = normaliseRepository(source.uri.replace(/^oci:\/\//, ''));
    return repo === ref.repository
      ? undefined
      : `${describeRef(ref)} was ${resolved}`;
  }
  if (ref.type === 'git') {
    const sameUrl = normaliseGitUrl(source.uri) === normaliseGitUrl(ref.url);
    const samePath =
      ref.path === undefined ||
      source.entryPoint === undefined ||
      ref.path === source.entryPoint;
    return sameUrl && samePath
      ? undefined
      : `${describeRef(ref)} was ${resolved}`;
  }
  return undefined;
}
