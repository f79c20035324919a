// Attack 7: no CI user can block a release. A TaskRun in a namespace outside allowedNamespaces that names
// the genuine digest is reported as ignored; a TaskRun labelled with the victim's uid does not make the
// victim's PipelineRun event answer 422.
import assert from 'node:assert/strict';
import { postEvent } from '../functions/sink-harness.js';
import {
  assertPasses,
  deliverOk,
  ignoredKeys,
  runEvent,
  useSink,
  verify,
} from './harness.js';
import {
  all,
  child,
  example,
  imageHex,
  inlineStep,
  ownTaskRun,
} from './objects.js';
import { signTrigger } from './trigger.js';

describe('adversary 7: veto', function () {
  this.timeout(60000);
  const scene = useSink();

  it('a TaskRun in namespace attacker naming the genuine digest is attested, listed as ignored, and the digest still PASSES', async () => {
    const { sink } = scene;
    const runs = await example();
    const hex = imageHex(runs.pipelineRun);
    const veto = inlineStep(
      ownTaskRun(child(runs, 'image-build'), 'veto', 'attacker')
    );
    await signTrigger(sink);
    await deliverOk(sink, [...all(runs), veto]);
    const uid = veto.metadata.uid;
    const stored = (await sink.files()).filter(
      (k) => k.startsWith(`sha256/${hex}/`) && k.includes(uid)
    );
    assert.ok(stored.length > 0, 'the veto TaskRun was attested');
    const report = await verify(sink, hex);
    assertPasses(report);
    assert.deepEqual(
      ignoredKeys(report)
        .filter((k) => k.includes(uid))
        .sort(),
      stored.sort()
    );
  });

  it('a TaskRun labelled with the victim pipelineRunUID does not make the victim event 422: 200, attested, PASS', async () => {
    const { sink } = scene;
    const runs = await example();
    const pr = runs.pipelineRun.metadata;
    const foreign = inlineStep(
      ownTaskRun(child(runs, 'unit-tests'), 'mine-unit-tests', 'ci', {
        'tekton.dev/pipelineRunUID': pr.uid,
        'tekton.dev/pipelineRun': 'mine',
        'tekton.dev/pipelineTask': 'unit-tests',
      })
    );
    await signTrigger(sink);
    sink.kube.upsert(foreign);
    await deliverOk(sink, all(runs));
    const again = await postEvent(sink, runEvent(runs.pipelineRun));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const prefix = `runs/ci/pipelinerun-${pr.name}-${pr.uid}/`;
    assert.ok((await sink.files()).some((k) => k.startsWith(prefix)));
    assertPasses(await verify(sink, imageHex(runs.pipelineRun)));
  });
});
