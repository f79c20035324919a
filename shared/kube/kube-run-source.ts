// Reads the authoritative run from the API server: one GET, and for a PipelineRun one LIST of its TaskRuns.
import type { CustomObjectsApi, Observable } from '@kubernetes/client-node';
import { isAttestError, ProvenanceError } from '../core/errors.js';
import { makeRunInput, normaliseRun } from '../core/tekton.js';
import type { PipelineRun, RunInput, TaskRun } from '../core/types.js';
import { callKube, kubeStatusOf } from './kube-call.js';
import type { RunRef, RunSource } from './run-source.js';

export interface KubeRunSourceOptions {
  // Client-side deadline of each API request.
  timeoutMs: number;
  // Bearer token for each request (GKE with application-default credentials); undefined keeps the kubeconfig's.
  token?: () => Promise<string>;
  // The client's own Observable (passed in so this module does not load the client at import time).
  observable: <T>(promise: Promise<T>) => Observable<T>;
}

export type KubeApi = Pick<
  CustomObjectsApi,
  'getNamespacedCustomObject' | 'listNamespacedCustomObject'
>;

const PLURAL = { taskrun: 'taskruns', pipelinerun: 'pipelineruns' } as const;
const KIND = { taskrun: 'TaskRun', pipelinerun: 'PipelineRun' } as const;

// The `kubernetes` source: the event only names the run; everything attested comes from the API server.
export class KubeRunSource implements RunSource {
  readonly name = 'kubernetes';

  constructor(
    private readonly api: KubeApi,
    private readonly opts: KubeRunSourceOptions
  ) {}

  // The GET and (for a PipelineRun) the child LIST by the event's uid run concurrently: still two calls, one
  // round trip. The GET decides first (its error, then the uid check), so errors are as for sequential calls.
  async fetch(ref: RunRef): Promise<RunInput> {
    const getting = this.getRun(ref);
    const byUid =
      ref.kind === 'pipelinerun'
        ? this.list(ref.namespace, `tekton.dev/pipelineRunUID=${ref.uid}`)
        : undefined;
    // Handled here; its error is thrown only where the children are needed, and it ends before we return.
    const listed = byUid?.catch(() => undefined);
    try {
      const run = await getting;
      if (run.kind === 'TaskRun' || !byUid) return makeRunInput(run, []);
      return makeRunInput(run, await this.children(run, await byUid));
    } finally {
      await listed;
    }
  }

  // The run named by ref, refused (RUN_NOT_FOUND) when absent or replaced by a run with another uid.
  private async getRun(ref: RunRef) {
    const what = `${KIND[ref.kind]} ${ref.namespace}/${ref.name}`;
    const run = asRun(await this.get(ref, what), KIND[ref.kind], what);
    if (run.metadata.uid !== ref.uid) {
      throw new ProvenanceError(
        'RUN_NOT_FOUND',
        `expected ${what} with uid ${ref.uid}, got uid ${run.metadata.uid} (the run named by the event was replaced)`
      );
    }
    return run;
  }

  private get(ref: RunRef, what: string): Promise<unknown> {
    return callKube(this.opts, what, (options) =>
      this.api.getNamespacedCustomObject(
        {
          group: 'tekton.dev',
          version: 'v1',
          namespace: ref.namespace,
          plural: PLURAL[ref.kind],
          name: ref.name,
        },
        options
      )
    ).catch((err: unknown) => {
      throw kubeStatusOf((err as Error).cause) === 404
        ? new ProvenanceError(
            'RUN_NOT_FOUND',
            `expected ${what} in the cluster, got 404 Not Found`,
            { cause: err }
          )
        : err;
    });
  }

  // TaskRuns by tekton.dev/pipelineRunUID; before Tekton v0.63 only the name label exists, so filter by owner.
  private async children(
    run: PipelineRun,
    byUid: unknown[]
  ): Promise<TaskRun[]> {
    const { namespace, name, uid } = run.metadata;
    const expectsTaskRuns = (run.status.childReferences ?? []).some(
      (c) => c.kind === 'TaskRun'
    );
    if (byUid.length > 0 || !expectsTaskRuns)
      return byUid.map((o) => asTaskRun(o));
    const byName = await this.list(namespace, `tekton.dev/pipelineRun=${name}`);
    return byName.filter((o) => ownedBy(o, uid)).map((o) => asTaskRun(o));
  }

  private async list(
    namespace: string,
    labelSelector: string
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let next: string | undefined;
    do {
      const page = (await callKube(
        this.opts,
        `TaskRuns in ${namespace} (${labelSelector})`,
        (options) =>
          this.api.listNamespacedCustomObject(
            {
              group: 'tekton.dev',
              version: 'v1',
              namespace,
              plural: 'taskruns',
              labelSelector,
              ...(next ? { _continue: next } : {}),
            },
            options
          )
      )) as { items?: unknown[]; metadata?: { continue?: string } } | undefined;
      items.push(...(page?.items ?? []));
      next = page?.metadata?.continue || undefined;
    } while (next);
    return items;
  }
}

function ownedBy(obj: unknown, uid: string): boolean {
  const refs = (obj as { metadata?: { ownerReferences?: { uid?: string }[] } })
    .metadata?.ownerReferences;
  return (refs ?? []).some((r) => r.uid === uid);
}

// What the API server returned must be a run; a malformed object is not attestable (422), not a bad request.
function asRun(obj: unknown, kind: 'TaskRun' | 'PipelineRun', what: string) {
  try {
    return normaliseRun(obj, kind);
  } catch (err) {
    if (isAttestError(err) && !err.permanent) throw err;
    throw new ProvenanceError(
      'RUN_INVALID',
      `expected ${what} to be a valid ${kind}, got ${isAttestError(err) ? err.message : 'an unreadable object'}`,
      { cause: err }
    );
  }
}

function asTaskRun(obj: unknown): TaskRun {
  const run = asRun(obj, 'TaskRun', 'a child TaskRun');
  if (run.kind !== 'TaskRun')
    throw new ProvenanceError(
      'RUN_INVALID',
      `expected a TaskRun, got ${run.kind}`
    );
  return run;
}
