// The child LIST by tekton.dev/pipelineRunUID: a fetch optimisation only. Any CI user can put that label on
// their own TaskRuns, so it is paged, capped, and filtered page by page against childReferences.
import {
  childTaskRunRefs,
  ignoredTaskRun,
  type IgnoredTaskRun,
} from '../core/tekton.js';
import type { TektonRun } from '../core/types.js';
import { callKube, kubeStatusOf } from './kube-call.js';
import { identityOf } from './kube-objects.js';
import type { KubeApi, KubeRunSourceOptions } from './kube-run-source.js';
import type { RunRef } from './run-source.js';

// Items per LIST page, and the most items read for one PipelineRun before the LIST stops.
export interface ChildListLimits {
  pageSize: number;
  maxItems: number;
}

// 500 per page keeps one page (and the memory it holds) small; 5000 is far above any real pipeline.
export const CHILD_LIST_LIMITS: Readonly<ChildListLimits> = {
  pageSize: 500,
  maxItems: 5000,
};

// What the LIST gave: the objects childReferences names (not yet read), every other object as ignored,
// and whether the LIST stopped early (cap reached, or its continue token expired).
export interface ListedChildren {
  named: unknown[];
  ignored: IgnoredTaskRun[];
  truncated: boolean;
}

type ListBody = { items?: unknown[]; metadata?: { continue?: string } };

// Pages through the labelled TaskRuns of ref; objects not named by the run's childReferences are dropped
// as each page arrives, so at most one page of them is held. `run` is the concurrent GET of ref.
export async function listChildren(
  api: KubeApi,
  opts: KubeRunSourceOptions,
  ref: RunRef,
  run: Promise<TektonRun>,
  limits: ChildListLimits = CHILD_LIST_LIMITS
): Promise<ListedChildren> {
  const out: ListedChildren = { named: [], ignored: [], truncated: false };
  let next: string | undefined;
  let read = 0;
  do {
    let page: ListBody | undefined;
    try {
      page = await listPage(api, opts, ref, limits.pageSize, next);
    } catch (err) {
      if (kubeStatusOf((err as Error).cause) !== 410) throw err;
      return { ...out, truncated: true };
    }
    sortPage(await run, page?.items ?? [], out);
    read += page?.items?.length ?? 0;
    next = page?.metadata?.continue || undefined;
  } while (next !== undefined && read < limits.maxItems);
  return { ...out, truncated: next !== undefined };
}

// Keeps the items childReferences names; records every other one as ignored.
function sortPage(run: TektonRun, items: unknown[], out: ListedChildren) {
  const refs = run.kind === 'PipelineRun' ? childTaskRunRefs(run) : new Map();
  for (const item of items) {
    const id = identityOf(item);
    if (refs.has(id.name)) out.named.push(item);
    else out.ignored.push(ignoredTaskRun(id, 'not-in-child-references'));
  }
}

function listPage(
  api: KubeApi,
  opts: KubeRunSourceOptions,
  ref: RunRef,
  limit: number,
  next: string | undefined
): Promise<ListBody | undefined> {
  const labelSelector = `tekton.dev/pipelineRunUID=${ref.uid}`;
  const what = `TaskRuns in ${ref.namespace} (${labelSelector})`;
  return callKube(opts, what, (options) =>
    api.listNamespacedCustomObject(
      {
        group: 'tekton.dev',
        version: 'v1',
        namespace: ref.namespace,
        plural: 'taskruns',
        labelSelector,
        limit,
        ...(next ? { _continue: next } : {}),
      },
      options
    )
  ) as Promise<ListBody | undefined>;
}
