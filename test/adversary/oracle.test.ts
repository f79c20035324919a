// Attack 9: the public sink is no oracle. An event naming a real run with a wrong uid is refused (422)
// without echoing the real uid or any stored key; keys come back only to a caller naming the right uid.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { postEvent } from '../functions/sink-harness.js';
import {
  deliverOk,
  runEvent,
  useSink,
  type Json,
  type Sink,
} from './harness.js';
import { all, child, example } from './objects.js';

// A copy of run with a uid of the caller's guessing.
const guessed = (run: Json): Json => {
  const copy = structuredClone(run);
  copy.metadata.uid = randomUUID();
  return copy;
};

// Posts the wrong-uid event for run; asserts 422 and that the body names nothing of the cluster's.
async function refusedBlind(sink: Sink, run: Json): Promise<void> {
  const res = await postEvent(sink, runEvent(guessed(run)));
  assert.equal(res.status, 422, JSON.stringify(res.body));
  const text = JSON.stringify(res.body);
  assert.ok(!text.includes(run.metadata.uid), `echoes the real uid: ${text}`);
  for (const key of await sink.files())
    assert.ok(!text.includes(key), `echoes stored key ${key}`);
}

describe('adversary 9: the sink as an oracle', function () {
  this.timeout(60000);
  const scene = useSink();

  it('a wrong-uid PipelineRun or TaskRun event gets 422 without the real uid (before anything is attested)', async () => {
    const runs = await example();
    scene.sink.kube.setRuns(all(runs));
    await refusedBlind(scene.sink, runs.pipelineRun);
    await refusedBlind(scene.sink, child(runs, 'image-build'));
  });

  it('after the runs are attested, wrong-uid resends reveal no keys; only the right uid gets them', async () => {
    const { sink } = scene;
    const runs = await example();
    await deliverOk(sink, all(runs));
    await refusedBlind(sink, runs.pipelineRun);
    await refusedBlind(sink, child(runs, 'image-build'));
    const right = await postEvent(sink, runEvent(runs.pipelineRun));
    assert.equal(right.status, 200);
    const uid = runs.pipelineRun.metadata.uid;
    assert.ok(right.body.stored.every((k: string) => k.includes(uid)));
  });
});
