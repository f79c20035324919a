import assert from 'node:assert/strict';
import {
  readExamplePipeline,
  type ExamplePipeline,
} from './example-pipeline.js';
import {
  openEnvelope,
  postEvent,
  startSink,
  type Sink,
} from './sink-harness.js';

describe('attestRun with RUN_SOURCE=event (v1beta1 payloads, children remembered from TaskRun events)', function () {
  this.timeout(30000);
  let eventSink: Sink;
  let kubeSink: Sink;
  let example: ExamplePipeline;
  const pr = () => example.event('pipelinerun-successful');
  const taskRunEvents = () =>
    example.events.filter((e) => e.file.includes('-taskrun-'));

  before(async () => {
    example = await readExamplePipeline();
    eventSink = await startSink({
      RUN_SOURCE: 'event',
      FORMATS: 'slsa/v0.2,slsa/v1.0',
    });
    kubeSink = await startSink({ FORMATS: 'slsa/v0.2,slsa/v1.0' });
    example.serve(kubeSink.kube);
  });
  after(async () => {
    await eventSink.close();
    await kubeSink.close();
  });

  it('answers 503 for a PipelineRun whose TaskRun events have not arrived, then attests it without any API call', async () => {
    const early = await postEvent(eventSink, pr()).expect(503);
    assert.equal(early.body.error.code, 'RUN_INCOMPLETE');
    assert.deepEqual(await eventSink.files(), []);
    for (const e of taskRunEvents()) await postEvent(eventSink, e).expect(200);
    await postEvent(eventSink, pr()).expect(200);
    assert.equal(eventSink.kube.requests.length, 0);
  });

  it('builds from the v1beta1 event payloads the same statements as from the v1 objects of the API server', async () => {
    for (const e of taskRunEvents()) await postEvent(kubeSink, e).expect(200);
    const fromKube = await postEvent(kubeSink, pr()).expect(200);
    const fromEvent = await postEvent(eventSink, pr()).expect(200);
    assert.deepEqual(fromEvent.body.stored, fromKube.body.stored);
    for (const key of fromKube.body.stored.filter((k: string) =>
      k.startsWith('runs/')
    )) {
      const a = await openEnvelope(kubeSink, await kubeSink.read(key));
      const b = await openEnvelope(eventSink, await eventSink.read(key));
      assert.deepEqual(b, a, key);
    }
  });

  it('serves as children only TaskRuns the PipelineRun names and owns; a labelled stranger is ignored', async () => {
    await eventSink.clear();
    const build = example.event('image-build');
    const stranger = (name: string, owned: boolean) => {
      const body = JSON.parse(build.body.toString());
      const meta = body.taskRun.metadata;
      meta.name = name;
      meta.uid = `uid-${name}`;
      if (!owned) delete meta.ownerReferences;
      body.taskRun.status.taskResults = [
        { name: 'IMAGE_URL', value: 'evil.example/miner' },
        { name: 'IMAGE_DIGEST', value: `sha256:${'d'.repeat(64)}` },
      ];
      return { ...build, body: Buffer.from(JSON.stringify(body)) };
    };
    for (const e of taskRunEvents()) await postEvent(eventSink, e).expect(200);
    await postEvent(eventSink, stranger('labelled-only', false)).expect(200);
    await postEvent(eventSink, stranger('forged-owner', true)).expect(200);
    const res = await postEvent(eventSink, pr(), {
      'Ce-Id': 'after-strangers',
    }).expect(200);
    for (const key of res.body.stored as string[]) {
      assert.ok(!key.includes('d'.repeat(64)), key);
      if (!key.startsWith('runs/ci/pipelinerun-')) continue;
      const text = JSON.stringify(
        await openEnvelope(eventSink, await eventSink.read(key))
      );
      assert.ok(!/labelled-only|forged-owner|evil\.example/.test(text), key);
    }
    const ignored = eventSink.logger.entries.filter((e) => e.reason);
    assert.deepEqual(
      ignored.map((e) => [(e.taskRun as { name: string }).name, e.reason]),
      [['forged-owner', 'not-in-child-references']]
    );
  });
});
