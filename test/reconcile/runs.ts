/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are loose JSON, like the API server's */
// Small v1 TaskRuns and PipelineRuns, as the API server stores them, finished at chosen times.
import { createHash } from 'node:crypto';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

// A deterministic UUID-shaped uid for a name.
export const uidOf = (s: string) => {
  const h = hex(s);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export interface RunOpts {
  namespace?: string;
  // undefined: still running.
  completedAt?: Date;
  labels?: Record<string, string>;
  uid?: string;
}

// A TaskRun that built an image (so its statement has a subject); running when completedAt is absent.
export function makeTaskRun(
  name: string,
  opts: RunOpts = {}
): Record<string, any> {
  const namespace = opts.namespace ?? 'ci';
  const end = opts.completedAt?.toISOString();
  const start = new Date(
    (opts.completedAt ?? new Date()).getTime() - 60_000
  ).toISOString();
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name,
      namespace,
      uid: opts.uid ?? uidOf(`${namespace}/${name}`),
      labels: opts.labels ?? {},
      annotations: {},
    },
    spec: {
      taskRef: { name: 'build', kind: 'Task' },
      params: [{ name: 'n', value: name }],
    },
    status: {
      conditions: [
        end === undefined
          ? { type: 'Succeeded', status: 'Unknown', reason: 'Running' }
          : {
              type: 'Succeeded',
              status: 'True',
              reason: 'Succeeded',
              lastTransitionTime: end,
            },
      ],
      startTime: start,
      ...(end === undefined ? {} : { completionTime: end }),
      steps: [
        {
          name: 'build',
          container: 'step-build',
          imageID: `docker.io/library/alpine@sha256:${hex('alpine')}`,
        },
      ],
      taskSpec: { steps: [{ name: 'build', image: 'alpine', script: 'true' }] },
      results: [
        {
          name: 'IMAGE_URL',
          type: 'string',
          value: `registry.example/${name}`,
        },
        {
          name: 'IMAGE_DIGEST',
          type: 'string',
          value: `sha256:${hex(`image ${namespace}/${name}`)}`,
        },
      ],
    },
  };
}

// A finished PipelineRun and its `tasks` child TaskRuns (labelled and owned as the controller makes them,
// and named in the PipelineRun's childReferences).
export function makePipeline(
  name: string,
  tasks: number,
  opts: RunOpts & { completedAt: Date }
): Record<string, any>[] {
  const namespace = opts.namespace ?? 'ci';
  const uid = opts.uid ?? uidOf(`${namespace}/${name}`);
  const children = Array.from({ length: tasks }, (_, i) =>
    makeTaskRun(`${name}-task-${i}`, {
      namespace,
      completedAt: new Date(opts.completedAt.getTime() - 1000),
      labels: {
        'tekton.dev/pipelineRun': name,
        'tekton.dev/pipelineRunUID': uid,
        'tekton.dev/pipelineTask': `task-${i}`,
      },
    })
  );
  for (const child of children) {
    child.metadata.ownerReferences = [
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        name,
        uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  const base = makeTaskRun(name, opts);
  const pipelineRun = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { ...base.metadata, uid },
    spec: { pipelineRef: { name: 'build' }, params: [] },
    status: {
      conditions: base.status.conditions,
      startTime: base.status.startTime,
      completionTime: base.status.completionTime,
      pipelineSpec: {
        tasks: children.map((_, i) => ({
          name: `task-${i}`,
          taskRef: { name: 'build', kind: 'Task' },
        })),
      },
      results: [],
      childReferences: children.map((tr, i) => ({
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        name: tr.metadata.name,
        pipelineTaskName: `task-${i}`,
      })),
    },
  };
  return [pipelineRun, ...children];
}
