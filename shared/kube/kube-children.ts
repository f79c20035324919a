// A PipelineRun's children from the API server: those the LIST returned, plus a GET by name for every
// childReferences TaskRun the LIST did not return (someone removed or changed its pipelineRunUID label,
// or the LIST was capped). Only genuine children are kept (makeRunInput); the rest is `ignored`.
import { isAttestError } from '../core/errors.js';
import {
  childTaskRunRefs,
  ignoredTaskRun,
  isOwnedBy,
  makeRunInput,
  type IgnoredTaskRun,
} from '../core/tekton.js';
import type { PipelineRun, RunInput, TaskRun } from '../core/types.js';
import type { ListedChildren } from './kube-child-list.js';
import { asRun, getObject, identityOf, metadataOf } from './kube-objects.js';
import type { KubeApi, KubeRunSourceOptions } from './kube-run-source.js';

// GETs in flight at once for children the LIST missed.
export const CHILD_GET_CONCURRENCY = 8;

// The RunInput of run from what the LIST gave, with the missing children fetched by name.
export async function childrenInput(
  api: KubeApi,
  opts: KubeRunSourceOptions,
  run: PipelineRun,
  listed: ListedChildren
): Promise<RunInput> {
  const ignored = [...listed.ignored];
  const listedNames = new Set(listed.named.map((o) => identityOf(o).name));
  const missing = [...childTaskRunRefs(run).keys()].filter(
    (name) => !listedNames.has(name)
  );
  const fetched = await getTaskRuns(api, opts, run.metadata.namespace, missing);
  const taskRuns = [...listed.named, ...fetched].flatMap(
    (obj) => readChild(run, obj, ignored) ?? []
  );
  const input = makeRunInput(run, taskRuns);
  return { ...input, ignored: [...ignored, ...(input.ignored ?? [])] };
}

// A TaskRun, or undefined (recorded as ignored) when it cannot be read and does not claim to be the
// run's child; an unreadable object that does claim it is RUN_INVALID, as for the run itself.
function readChild(
  run: PipelineRun,
  obj: unknown,
  ignored: IgnoredTaskRun[]
): TaskRun | undefined {
  const id = identityOf(obj);
  try {
    return asRun(obj, 'TaskRun', `child TaskRun ${id.name}`);
  } catch (err) {
    const claims =
      id.namespace === run.metadata.namespace &&
      isOwnedBy(metadataOf(obj), run.metadata.uid);
    if (claims || !isAttestError(err) || !err.permanent) throw err;
    ignored.push(ignoredTaskRun(id, 'malformed'));
    return undefined;
  }
}

// GET each named TaskRun, at most CHILD_GET_CONCURRENCY at once; absent ones (404) are left out. Every
// request ends before this returns, also when one fails (no work continues after the answer).
async function getTaskRuns(
  api: KubeApi,
  opts: KubeRunSourceOptions,
  namespace: string,
  names: string[]
): Promise<unknown[]> {
  const found: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let name = names[next++]; name !== undefined; name = names[next++]) {
      const ref = { namespace, plural: 'taskruns' as const, name };
      const what = `TaskRun ${namespace}/${name}`;
      const obj = await getObject(api, opts, ref, what).catch((err) => {
        next = names.length; // the others stop after their current request
        throw err;
      });
      if (obj !== undefined) found.push(obj);
    }
  };
  const workers = Math.min(CHILD_GET_CONCURRENCY, names.length);
  const settled = await Promise.allSettled(
    Array.from({ length: workers }, worker)
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return found;
}
