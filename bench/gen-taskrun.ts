// One realistic child TaskRun: resolver ref, three steps with scripts, params, results, workspaces, provenance.
import { createHash } from 'node:crypto';

// A JSON value as parsed.
type Json = ReturnType<typeof JSON.parse>;

// First n hex digits of sha256(s): stable fake digests and ids.
export const hex = (s: string, n = 64): string =>
  createHash('sha256').update(s).digest('hex').slice(0, n);

const IMAGES = [
  'golang:1.22',
  'alpine:3.20',
  'node:20-slim',
  'gcr.io/kaniko-project/executor:v1.23.0',
];

// Three steps per task, each with a shell script of a few hundred bytes (Chains statements are mostly scripts).
function steps(task: string, i: number) {
  return ['prepare', 'run', 'report'].map((step, s) => {
    const image = IMAGES[(i + s) % IMAGES.length] ?? 'alpine:3.20';
    const script = [
      '#!/usr/bin/env sh',
      'set -eu',
      `echo "${task}/${step}: starting in $(workspaces.source.path)"`,
      'cd "$(workspaces.source.path)"',
      `if [ -f ./ci/${task}.env ]; then . ./ci/${task}.env; fi`,
      `./ci/${step}.sh --task "${task}" --revision "$(params.revision)" --flags "$(params.flags)"`,
      `printf '%s' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > $(results.finished-at.path)`,
      `sha256sum ./out/${task}.tar 2>/dev/null | cut -d' ' -f1 | tr -d '\\n' > $(results.checksum.path) || true`,
    ].join('\n');
    return {
      step: {
        name: step,
        image,
        script,
        env: [{ name: 'HOME', value: '/tekton/home' }],
        workingDir: '$(workspaces.source.path)',
      },
      state: {
        name: step,
        container: `step-${step}`,
        imageID: `docker-pullable://${image.split(':')[0]}@sha256:${hex(image)}`,
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: '2026-05-04T10:00:01Z',
          finishedAt: '2026-05-04T10:00:09Z',
        },
      },
    };
  });
}

export const PARAMS = ['revision', 'flags', 'cache-dir', 'verbose'];

// Fills in, in place, what the test generator leaves minimal.
export function enrichTaskRun(
  tr: Record<string, Json>,
  i: number,
  revision: string
): void {
  const task: string = tr.metadata.labels['tekton.dev/pipelineTask'];
  const s = steps(task, i);
  const values = [revision, `--shard=${i} --race`, '/workspace/cache', 'false'];
  Object.assign(tr.metadata.labels, {
    'app.kubernetes.io/managed-by': 'tekton-pipelines',
    'tekton.dev/pipeline': 'synthetic',
    'tekton.dev/task': `task-${i % 7}`,
    'triggers.tekton.dev/eventlistener': 'github-push',
    'triggers.tekton.dev/trigger': 'push-main',
  });
  tr.metadata.annotations = {
    'pipeline.tekton.dev/release': 'v1.3.0',
    'chains.tekton.dev/transparency-upload': 'false',
  };
  tr.spec = {
    params: PARAMS.map((name, p) => ({ name, value: values[p] })),
    serviceAccountName: 'build-bot',
    timeout: '1h0m0s',
    workspaces: [
      {
        name: 'source',
        persistentVolumeClaim: { claimName: `pvc-${hex(task, 10)}` },
      },
    ],
    taskRef: {
      resolver: 'git',
      params: [
        { name: 'url', value: 'https://github.com/acme/ci-tasks.git' },
        { name: 'revision', value: 'main' },
        { name: 'pathInRepo', value: `tasks/task-${i % 7}.yaml` },
      ],
    },
  };
  const results: Json[] = tr.status.results;
  results.unshift(
    { name: 'checksum', type: 'string', value: hex(`${task} output`) },
    { name: 'finished-at', type: 'string', value: tr.status.completionTime }
  );
  Object.assign(tr.status, {
    podName: `${tr.metadata.name}-pod`,
    steps: s.map((x) => x.state),
    taskSpec: {
      params: PARAMS.map((name) => ({ name, type: 'string' })),
      results: results.map((r: Json) => ({ name: r.name, type: 'string' })),
      workspaces: [{ name: 'source' }],
      steps: s.map((x) => x.step),
    },
    provenance: {
      refSource: {
        uri: 'git+https://github.com/acme/ci-tasks.git',
        digest: { sha1: hex('ci-tasks', 40) },
        entryPoint: `tasks/task-${i % 7}.yaml`,
      },
      featureFlags: {
        EnableAPIFields: 'beta',
        ResultExtractionMethod: 'termination-message',
        MaxResultSize: 4096,
      },
    },
  });
}
