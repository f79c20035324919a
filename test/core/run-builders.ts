// Small builders for synthetic v1 TaskRuns and PipelineRuns (raw JSON, as the API server returns them).
import { makeRunInput, normaliseRun } from '../../shared/core/tekton.js';
import type {
  PipelineTask,
  RunInput,
  TaskRun,
} from '../../shared/core/types.js';

type Json = Record<string, unknown>;

export const HEX = 'a'.repeat(64);

export interface ChildOptions {
  start?: string;
  end?: string | null;
  succeeded?: boolean;
  results?: { name: string; value: unknown }[];
  labels?: Record<string, string>;
  image?: string;
}

// A completed child TaskRun of PipelineRun `pr` for pipeline task `task`.
export function childTaskRun(
  name: string,
  task: string,
  o: ChildOptions = {}
): Json {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name,
      namespace: 'ci',
      uid: `uid-${name}`,
      labels: {
        'tekton.dev/pipelineTask': task,
        'tekton.dev/pipelineRun': 'pr',
        ...o.labels,
      },
    },
    spec: { params: [] },
    status: {
      conditions: [
        { type: 'Succeeded', status: o.succeeded === false ? 'False' : 'True' },
      ],
      startTime: o.start ?? '2024-01-01T00:00:00Z',
      ...(o.end === null
        ? {}
        : { completionTime: o.end ?? '2024-01-01T01:00:00Z' }),
      steps: [
        {
          name: 'run',
          imageID:
            o.image ?? `docker-pullable://gcr.io/x/${task}@sha256:${HEX}`,
        },
      ],
      taskSpec: { steps: [{ name: 'run', script: 'echo' }] },
      results: o.results ?? [],
    },
  };
}

// A finished PipelineRun named `pr` with the given tasks and finally tasks.
export function pipelineRun(
  tasks: PipelineTask[],
  extra: { finally?: PipelineTask[]; status?: Json; spec?: Json } = {}
): Json {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'pr', namespace: 'ci', uid: 'uid-pr' },
    spec: { taskRunTemplate: { serviceAccountName: 'builder' }, ...extra.spec },
    status: {
      conditions: [{ type: 'Succeeded', status: 'True' }],
      startTime: '2024-01-01T00:00:00Z',
      completionTime: '2024-01-01T02:00:00Z',
      pipelineSpec: { tasks, finally: extra.finally ?? [] },
      ...extra.status,
    },
  };
}

export function input(pr: Json, children: Json[]): RunInput {
  return makeRunInput(
    normaliseRun(pr),
    children.map((c) => normaliseRun(c) as TaskRun)
  );
}
