// Attacks 5 and 6: children verify cannot judge (a CustomRun, a nested PipelineRun) fail, and so does a
// release whose PipelineRun (and security scan) failed.
import { randomUUID } from 'node:crypto';
import {
  assertFails,
  deliverOk,
  useSink,
  verify,
  type Json,
} from './harness.js';
import { all, child, example, failed, imageHex, type Runs } from './objects.js';
import { signTrigger } from './trigger.js';

// Adds pipeline task `task` (spec fields as given) and its non-TaskRun child to the genuine PipelineRun.
function withChild(runs: Runs, task: Json, ref: Json): Runs {
  const pr = runs.pipelineRun;
  pr.status.pipelineSpec.tasks.push({ runAfter: ['image-build'], ...task });
  pr.status.childReferences.push({ ...ref, pipelineTaskName: task.name });
  return runs;
}

// The nested PipelineRun the controller created for pipeline task `publish` (finished, no children).
function nestedRun(parent: Json): Json {
  const { name, uid } = parent.metadata;
  const done = parent.status.conditions[0];
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: `${name}-publish`,
      namespace: 'ci',
      uid: randomUUID(),
      labels: {
        'tekton.dev/pipelineRun': name,
        'tekton.dev/pipelineRunUID': uid,
        'tekton.dev/pipelineTask': 'publish',
      },
      ownerReferences: [
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          name,
          uid,
          controller: true,
        },
      ],
    },
    spec: { pipelineRef: { name: 'publish-image' } },
    status: {
      conditions: [done],
      startTime: parent.status.finallyStartTime,
      completionTime: parent.status.completionTime,
      pipelineSpec: { tasks: [] },
      childReferences: [],
    },
  };
}

describe('adversary 5, 6: unjudged children and failed runs', function () {
  this.timeout(60000);
  const scene = useSink();

  async function attest(runs: Runs): Promise<string> {
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, all(runs));
    return imageHex(runs.pipelineRun);
  }

  it('5: a CustomRun child → FAIL CHILD_UNJUDGED', async () => {
    const runs = withChild(
      await example(),
      {
        name: 'approve',
        taskRef: {
          apiVersion: 'example.dev/v1alpha1',
          kind: 'Approval',
          name: 'release-gate',
        },
      },
      {
        apiVersion: 'tekton.dev/v1beta1',
        kind: 'CustomRun',
        name: 'build-push-x7k2q-approve',
      }
    );
    assertFails(await verify(scene.sink, await attest(runs)), 'CHILD_UNJUDGED');
  });

  it('5: a nested PipelineRun child (pipelines in pipelines) → FAIL CHILD_UNJUDGED', async () => {
    const runs = withChild(
      await example(),
      { name: 'publish', pipelineRef: { name: 'publish-image' } },
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        name: 'build-push-x7k2q-publish',
      }
    );
    scene.sink.kube.upsert(nestedRun(runs.pipelineRun));
    assertFails(await verify(scene.sink, await attest(runs)), 'CHILD_UNJUDGED');
  });

  it('6: a Failed PipelineRun whose security-scan failed → FAIL NOT_SUCCEEDED', async () => {
    const runs = await example();
    failed(child(runs, 'security-scan'));
    failed(runs.pipelineRun).status.conditions[0].message =
      'Tasks Completed: 5 (Failed: 1, Cancelled 0), Skipped: 0';
    assertFails(await verify(scene.sink, await attest(runs)), 'NOT_SUCCEEDED');
  });
});
