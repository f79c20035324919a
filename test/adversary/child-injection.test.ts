// Attack 2: a TaskRun the user creates with the victim's `tekton.dev/pipelineRunUID` label (no
// ownerReference, not in childReferences) is not a child: it never reaches the victim's statement.
import assert from 'node:assert/strict';
import { postEvent } from '../functions/sink-harness.js';
import {
  assertFails,
  assertPasses,
  deliverOk,
  runEvent,
  useSink,
  verify,
} from './harness.js';
import {
  all,
  buildsImage,
  child,
  CURL_SH,
  EVIL_HEX,
  example,
  imageHex,
  ownTaskRun,
  type Runs,
} from './objects.js';
import { signTrigger } from './trigger.js';

// The attacker's "second image-build": the trusted buildah bundle, the victim's labels, a `curl … | sh`
// step, and results naming the attacker's image.
function injected(runs: Runs) {
  const from = child(runs, 'image-build');
  const tr = buildsImage(
    ownTaskRun(
      from,
      'build-push-x7k2q-image-build-2',
      'ci',
      from.metadata.labels
    )
  );
  tr.status.taskSpec.steps[0].script = CURL_SH;
  return tr;
}

describe('adversary 2: child injection by label (DEEP_INSPECTION on)', function () {
  this.timeout(60000);
  const scene = useSink({ DEEP_INSPECTION: 'true' });

  it('the victim is attested (200); the attacker digest FAILS ATTESTATION_MISSING; the victim PASSES', async () => {
    const { sink } = scene;
    const runs = await example();
    await signTrigger(sink);
    sink.kube.upsert(injected(runs));
    await deliverOk(sink, all(runs));
    assertFails(await verify(sink, EVIL_HEX), 'ATTESTATION_MISSING');
    assertPasses(await verify(sink, imageHex(runs.pipelineRun)));
  });

  it('with the injected TaskRun attested on its own event: FAIL PIPELINERUN_MISSING; the victim PASSES', async () => {
    const { sink } = scene;
    const runs = await example();
    const evil = injected(runs);
    await signTrigger(sink);
    sink.kube.upsert(evil);
    await deliverOk(sink, all(runs));
    const res = await postEvent(sink, runEvent(evil));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertFails(await verify(sink, EVIL_HEX), 'PIPELINERUN_MISSING');
    assertPasses(await verify(sink, imageHex(runs.pipelineRun)));
  });
});
