// Reads the authoritative run from the API server: one GET, and for a PipelineRun one LIST of its TaskRuns
// (kube-child-list.ts), plus a GET by name for any child the LIST did not return (kube-children.ts).
import type { Observable } from '@kubernetes/client-node';
import type { CallOptions } from './kube-call.js';
import { ProvenanceError } from '../core/errors.js';
import { makeRunInput } from '../core/tekton.js';
import type { RunInput, TektonRun } from '../core/types.js';
import {
  CHILD_LIST_LIMITS,
  listChildren,
  type ChildListLimits,
} from './kube-child-list.js';
import { childrenInput } from './kube-children.js';
import { asRun, getObject, identityOf } from './kube-objects.js';
import type { RunRef, RunSource } from './run-source.js';

export interface KubeRunSourceOptions {
  // Client-side deadline of each API request.
  timeoutMs: number;
  // Bearer token for each request (GKE with application-default credentials); undefined keeps the kubeconfig's.
  token?: () => Promise<string>;
  // The client's own Observable, for calls through the generated client (the run lister; passed in so this
  // module does not load the client at import time); the run source's KubeRestApi reads need none.
  observable?: <T>(promise: Promise<T>) => Observable<T>;
  // Page size and cap of the child LIST (default CHILD_LIST_LIMITS).
  childList?: ChildListLimits;
  // Told when the child LIST stopped early (the missing children are then fetched by name).
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export interface KubeObjectParams {
  group: string;
  version: string;
  namespace: string;
  plural: string;
  name: string;
}

export interface KubeListParams {
  group: string;
  version: string;
  namespace: string;
  plural: string;
  labelSelector?: string;
  limit?: number;
  _continue?: string;
}

// The two reads the run source makes: kube-rest.ts in production, which the generated CustomObjectsApi
// also satisfies.
export interface KubeApi {
  getNamespacedCustomObject(
    p: KubeObjectParams,
    o: CallOptions
  ): Promise<unknown>;
  listNamespacedCustomObject(
    p: KubeListParams,
    o: CallOptions
  ): Promise<unknown>;
}

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
    if (ref.kind === 'taskrun') return makeRunInput(await getting, []);
    const limits = this.opts.childList ?? CHILD_LIST_LIMITS;
    const listing = listChildren(this.api, this.opts, ref, getting, limits);
    // Handled here; its error is thrown only where the children are needed, and it ends before we return.
    const listed = listing.catch(() => undefined);
    try {
      const run = await getting;
      if (run.kind !== 'PipelineRun') return makeRunInput(run, []);
      const children = await listing;
      if (children.truncated) {
        this.opts.warn?.('child TaskRun list stopped early; fetching by name', {
          run: { kind: run.kind, ...identityOf(run) },
          listed: children.named.length + children.ignored.length,
        });
      }
      return await childrenInput(this.api, this.opts, run, children);
    } finally {
      await listed;
    }
  }

  // The run named by ref, refused (RUN_NOT_FOUND) when absent or replaced by a run with another uid. The
  // uid is compared before the object is read, so a stranger's run is never described; the message (which
  // names the real uid) is for the log: attestRun's answer never carries it.
  private async getRun(ref: RunRef): Promise<TektonRun> {
    const what = `${KIND[ref.kind]} ${ref.namespace}/${ref.name}`;
    const obj = await getObject(
      this.api,
      this.opts,
      { namespace: ref.namespace, plural: PLURAL[ref.kind], name: ref.name },
      what
    );
    if (obj === undefined) {
      throw new ProvenanceError(
        'RUN_NOT_FOUND',
        `expected ${what} in the cluster, got 404 Not Found`
      );
    }
    const { uid } = identityOf(obj);
    if (uid !== ref.uid) {
      throw new ProvenanceError(
        'RUN_NOT_FOUND',
        `expected ${what} with uid ${ref.uid}, got uid ${uid} (the run named by the event was replaced)`
      );
    }
    return asRun(obj, KIND[ref.kind], what);
  }
}
