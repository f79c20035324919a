// Attack 3: under trustedPipelines a digest passes only through a trusted PipelineRun attestation, so a
// TaskRun attestation on its own (standalone, or the only one naming the digest) never passes.
import { assertFails, deliverOk, useSink, verify } from './harness.js';
import {
  all,
  buildsImage,
  child,
  EVENT_ID_LABEL,
  EVIL_HEX,
  example,
  imageHex,
  inlineStep,
  ownTaskRun,
} from './objects.js';
import { signTrigger } from './trigger.js';

// The genuine event id (the label a user can copy onto their own TaskRun).
const GENUINE_EVENT = '8c1d2f4e-6a3b-4c59-9e0d-7b2a1f6c3d84';

describe('adversary 3: TaskRun-only digests', function () {
  this.timeout(60000);
  const scene = useSink();

  it('3a: a standalone inline TaskRun labelled tekton.dev/task=buildah → FAIL PIPELINERUN_MISSING, TASK_UNTRUSTED', async () => {
    const runs = await example();
    const tr = buildsImage(
      inlineStep(
        ownTaskRun(child(runs, 'image-build'), 'my-build', 'ci', {
          'tekton.dev/task': 'buildah',
          [EVENT_ID_LABEL]: GENUINE_EVENT,
        })
      )
    );
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, [tr]);
    const report = await verify(scene.sink, EVIL_HEX);
    assertFails(report, 'PIPELINERUN_MISSING', 'TASK_UNTRUSTED');
  });

  it('3b: a standalone TaskRun of the trusted buildah bundle on the user’s own workspace → FAIL PIPELINERUN_MISSING', async () => {
    const runs = await example();
    const tr = buildsImage(
      ownTaskRun(child(runs, 'image-build'), 'my-buildah', 'ci', {
        [EVENT_ID_LABEL]: GENUINE_EVENT,
      })
    );
    tr.spec.workspaces[0].persistentVolumeClaim.claimName = 'my-own-source';
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, [tr]);
    assertFails(await verify(scene.sink, EVIL_HEX), 'PIPELINERUN_MISSING');
  });

  it('3c: inject-miner with its pipeline results removed (only the image-build TaskRun names the digest) → FAIL PIPELINERUN_MISSING', async () => {
    const runs = await example('injectMiner');
    const hex = imageHex(runs.pipelineRun);
    const pr = runs.pipelineRun;
    delete pr.status.pipelineSpec.results;
    delete pr.status.results;
    await signTrigger(scene.sink, 'interceptor-request-inject-miner.json');
    await deliverOk(scene.sink, all(runs));
    assertFails(await verify(scene.sink, hex), 'PIPELINERUN_MISSING');
  });
});
