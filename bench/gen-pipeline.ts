// Synthetic PipelineRuns of N tasks for the benchmark: the test generator's structure (uids, labels,
// childReferences, owner references) made realistic: resolver refs, several steps with scripts, params,
// results, workspaces and the labels and annotations Tekton and Triggers put on runs.
import { makeSyntheticPipeline } from '../test/fixtures/synthetic-pipeline.js';
import { enrichTaskRun, hex, PARAMS } from './gen-taskrun.js';

// A JSON value as parsed.
type Json = ReturnType<typeof JSON.parse>;

export interface BenchPipeline {
  pipelineRun: Record<string, Json>;
  taskRuns: Record<string, Json>[];
}

// N tasks in a chain; the last one builds an image whose digest the PipelineRun reports. Deterministic in (tasks, name, namespace).
export function genPipeline(
  tasks: number,
  name: string,
  namespace = 'ci'
): BenchPipeline {
  const { pipelineRun, taskRuns } = makeSyntheticPipeline(tasks, {
    name,
    namespace,
  });
  const revision = hex(`revision of ${name}`, 40);
  taskRuns.forEach((tr, i) => enrichTaskRun(tr, i, revision));
  pipelineRun.metadata.labels = {
    ...pipelineRun.metadata.labels,
    'app.kubernetes.io/managed-by': 'tekton-pipelines',
    'triggers.tekton.dev/eventlistener': 'github-push',
    'triggers.tekton.dev/trigger': 'push-main',
  };
  pipelineRun.spec = {
    pipelineRef: {
      resolver: 'git',
      params: [
        { name: 'url', value: 'https://github.com/acme/ci-tasks.git' },
        { name: 'pathInRepo', value: 'pipelines/synthetic.yaml' },
      ],
    },
    params: [
      { name: 'repo-url', value: 'https://github.com/acme/app.git' },
      { name: 'revision', value: revision },
    ],
    taskRunTemplate: { serviceAccountName: 'build-bot' },
    workspaces: [
      {
        name: 'source',
        volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } },
      },
    ],
  };
  for (const t of pipelineRun.status.pipelineSpec.tasks as Json[]) {
    t.params = PARAMS.map((p) => ({
      name: p,
      value: p === 'revision' ? '$(params.revision)' : `$(params.${p})`,
    }));
    t.workspaces = [{ name: 'source', workspace: 'source' }];
  }
  return { pipelineRun, taskRuns };
}

// The terminal CloudEvent Tekton posts for the run (binary mode): headers and body bytes.
export function terminalEvent(
  p: BenchPipeline,
  id: string
): { headers: Record<string, string>; body: Buffer } {
  const { name, namespace } = p.pipelineRun.metadata;
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-type': 'dev.tekton.event.pipelinerun.successful.v1',
      'ce-source': `/apis/tekton.dev/v1/namespaces/${namespace}/pipelineruns/${name}`,
      'ce-subject': name,
      'ce-time': '2026-05-04T11:00:00.000Z',
    },
    body: Buffer.from(JSON.stringify({ pipelineRun: p.pipelineRun })),
  };
}
