// Small builders for synthetic v1 TaskRuns and PipelineRuns (raw JSON, as the API server returns them).
import { makeRunInput, normaliseRun } from '../../shared/core/tekton.js';
import type {
  PipelineTask,
  RunInput,
  TaskRun,
} from '../../shared/core/types.js';
import { attachAsController } from '../fixtures/controller-children.js';

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

// A completed child TaskRun of PipelineRun `pr` for pipeline task `task`, owned by it as the controller
// writes it (input() adds the PipelineRun's childReferences entry).
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
      ownerReferences: [
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          name: 'pr',
          uid: 'uid-pr',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
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

// The RunInput of pr and children, with a childReferences entry for each child pr does not name yet
// (from its tekton.dev/pipelineTask label, as the controller wrote it when it created the child).
export function input(pr: Json, children: Json[]): RunInput {
  const run = normaliseRun(pr);
  const taskRuns = children.map((c) => normaliseRun(c) as TaskRun);
  if (run.kind === 'PipelineRun') attachAsController(run, taskRuns);
  return makeRunInput(run, taskRuns);
}
