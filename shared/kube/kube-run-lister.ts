// Pages through TaskRuns or PipelineRuns with `limit`/`continue`, per namespace or cluster-wide.
import type { CustomObjectsApi } from '@kubernetes/client-node';
import type { KubeSettings } from '../config-kube.js';
import type { RunKind } from '../core/layout.js';
import { makeKubeApi } from './kube-api.js';
import { callKube, kubeStatusOf } from './kube-call.js';
import type { KubeRunSourceOptions } from './kube-run-source.js';
import type { ListRunsOptions, RunLister, RunPage } from './run-lister.js';

export type KubeListApi = Pick<
  CustomObjectsApi,
  'listClusterCustomObject' | 'listNamespacedCustomObject'
>;

// The generated client applies the token and deadline through middleware, which needs its Observable.
export type KubeListerOptions = KubeRunSourceOptions & {
  observable: NonNullable<KubeRunSourceOptions['observable']>;
};

const PLURAL = { taskrun: 'taskruns', pipelinerun: 'pipelineruns' } as const;

type ListBody = { items?: unknown[]; metadata?: { continue?: string } };

// GET /apis/tekton.dev/v1/[namespaces/{ns}/]{taskruns,pipelineruns}?limit=…&continue=…
export class KubeRunLister implements RunLister {
  constructor(
    private readonly api: KubeListApi,
    private readonly opts: KubeListerOptions
  ) {}

  // An expired continue token (410 Gone) starts that list over; the sweep is idempotent, so nothing is lost.
  async listRuns(kind: RunKind, opts: ListRunsOptions): Promise<RunPage> {
    try {
      return await this.page(kind, opts);
    } catch (err) {
      const expired = err instanceof Error && kubeStatusOf(err.cause) === 410;
      if (!expired || opts.continue === undefined) throw err;
      const fresh: ListRunsOptions = { ...opts };
      delete fresh.continue;
      return { ...(await this.page(kind, fresh)), restarted: true };
    }
  }

  private async page(kind: RunKind, opts: ListRunsOptions): Promise<RunPage> {
    const base = {
      group: 'tekton.dev',
      version: 'v1',
      plural: PLURAL[kind],
      limit: opts.limit,
      ...(opts.continue === undefined ? {} : { _continue: opts.continue }),
    };
    const { namespace } = opts;
    const what = `${PLURAL[kind]} in ${namespace ?? 'every namespace'}`;
    const body = (await callKube(this.opts, what, (o) =>
      namespace === undefined
        ? this.api.listClusterCustomObject(base, o)
        : this.api.listNamespacedCustomObject({ ...base, namespace }, o)
    )) as ListBody | undefined;
    const next = body?.metadata?.continue;
    return { items: body?.items ?? [], ...(next ? { continue: next } : {}) };
  }
}

// The lister for the configured cluster (same credentials as the `kubernetes` run source).
export async function createRunLister(
  kube: KubeSettings
): Promise<KubeRunLister> {
  const { api, options } = await (await makeKubeApi(kube)).objectsApi();
  return new KubeRunLister(api, options);
}
