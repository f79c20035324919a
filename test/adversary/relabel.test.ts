// Attack 1: the task map and each task's ref come from what the controller and the TaskRun itself say,
// never from the mutable `tekton.dev/pipelineTask` label or from the pipeline spec alone.
import {
  assertFails,
  deliverOk,
  useSink,
  verify,
  type Sink,
} from './harness.js';
import {
  all,
  child,
  example,
  imageHex,
  inlineStep,
  type Runs,
} from './objects.js';
import { signTrigger } from './trigger.js';

const EVIL_BUNDLE_HEX = 'ab'.repeat(32);

async function attestGenuine(sink: Sink, runs: Runs): Promise<string> {
  await signTrigger(sink);
  await deliverOk(sink, all(runs));
  return imageHex(runs.pipelineRun);
}

describe('adversary 1: relabelled and swapped tasks', function () {
  this.timeout(60000);
  const scene = useSink();

  it('1 relabel: `kubectl label taskrun …-inject-miner tekton.dev/pipelineTask=git-clone` still FAILS TASK_UNTRUSTED', async () => {
    const runs = await example('injectMiner');
    child(runs, 'inject-miner').metadata.labels['tekton.dev/pipelineTask'] =
      'git-clone';
    await signTrigger(scene.sink, 'interceptor-request-inject-miner.json');
    await deliverOk(scene.sink, all(runs));
    const report = await verify(scene.sink, imageHex(runs.pipelineRun));
    assertFails(report, 'TASK_UNTRUSTED');
  });

  it('1b: the git-clone child ran another bundle than the pipeline spec names → FAIL TASK_REF_MISMATCH', async () => {
    const runs = await example();
    const clone = child(runs, 'git-clone');
    clone.spec.taskRef.params[0].value = `gcr.io/attacker/tools/git-clone:0.9@sha256:${EVIL_BUNDLE_HEX}`;
    clone.status.provenance.refSource = {
      uri: 'gcr.io/attacker/tools/git-clone',
      digest: { sha256: EVIL_BUNDLE_HEX },
      entryPoint: 'git-clone',
    };
    const hex = await attestGenuine(scene.sink, runs);
    assertFails(await verify(scene.sink, hex), 'TASK_REF_MISMATCH');
  });

  it('1b: the git-clone child ran an inline taskSpec instead of the bundle → FAIL TASK_REF_MISMATCH', async () => {
    const runs = await example();
    inlineStep(child(runs, 'git-clone'));
    const hex = await attestGenuine(scene.sink, runs);
    assertFails(await verify(scene.sink, hex), 'TASK_REF_MISMATCH');
  });
});
