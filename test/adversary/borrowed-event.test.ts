// Attack 4: a user's own PipelineRun with an inline pipelineSpec, the genuine event-id label and copied
// params, whose (trusted) git-clone fetched the attacker's repository. Namespace, pipeline and the
// git-clone result bindings each stop it.
import { assertFails, deliverOk, useSink, verify } from './harness.js';
import {
  all,
  buildsImage,
  child,
  EVIL_COMMIT,
  EVIL_HEX,
  EVIL_REPO,
  example,
  inlinePipeline,
  moveRun,
  setResult,
  type Runs,
} from './objects.js';
import { signTrigger } from './trigger.js';

// The genuine example moved to namespace/name (labels and params kept), its pipeline made inline, its
// git-clone pointed at the attacker's repository and its image the attacker's.
async function borrowed(namespace: string): Promise<Runs> {
  const runs = inlinePipeline(moveRun(await example(), namespace, 'web-q9z1'));
  const clone = child(runs, 'git-clone');
  clone.spec.params[0].value = EVIL_REPO;
  clone.spec.params[1].value = EVIL_COMMIT;
  setResult(clone, 'url', EVIL_REPO);
  setResult(clone, 'commit', EVIL_COMMIT);
  buildsImage(child(runs, 'image-build'));
  const pr = buildsImage(runs.pipelineRun);
  setResult(pr, 'CHAINS-GIT_URL', EVIL_REPO);
  setResult(pr, 'CHAINS-GIT_COMMIT', EVIL_COMMIT);
  return runs;
}

describe('adversary 4: a borrowed trigger event', function () {
  this.timeout(60000);
  const scene = useSink();

  it('in namespace attacker: its attestations are ignored → FAIL PIPELINERUN_MISSING', async () => {
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, all(await borrowed('attacker')));
    assertFails(await verify(scene.sink, EVIL_HEX), 'PIPELINERUN_MISSING');
  });

  it('in namespace ci → FAIL PIPELINE_UNTRUSTED and EVENT_BINDING_MISMATCH', async () => {
    await signTrigger(scene.sink);
    await deliverOk(scene.sink, all(await borrowed('ci')));
    const report = await verify(scene.sink, EVIL_HEX);
    assertFails(report, 'PIPELINE_UNTRUSTED', 'EVENT_BINDING_MISMATCH');
  });
});
